package io.pioreactor.worker.membership;

import io.pioreactor.protocol.Membership;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.function.BiConsumer;

/**
 * What the leader decided about this worker, from the retained assignment topic. Empty payload:
 * not in the inventory. The halt hook fires whenever the worker is (or turns out to be, after a
 * reconnect) inactive or out of the inventory, so nothing keeps running that should have stopped.
 */
public final class MembershipState {
  private Membership current;
  private boolean known;
  private final Runnable haltAll;
  private final BiConsumer<Membership, Membership> onChange;
  private java.util.function.Consumer<Membership> onEvery = m -> {};
  private Promise<Void> settled = Promise.promise();

  public MembershipState(Runnable haltAll, BiConsumer<Membership, Membership> onChange) {
    this.haltAll = haltAll;
    this.onChange = onChange;
  }

  /** Runs on every membership message, changed or not (the worker re-checks its jobs against it). */
  public MembershipState onEvery(java.util.function.Consumer<Membership> hook) {
    this.onEvery = hook;
    return this;
  }

  /**
   * Completes once the membership is current: after the first message following {@link #markStale()}.
   * Jobs wait on it before re-asserting themselves after a reconnect.
   */
  public Future<Void> settled() {
    return settled.future();
  }

  /** The connection dropped: what we know may be out of date until the next message. */
  public void markStale() {
    if (settled.future().isComplete()) {
      settled = Promise.promise();
    }
  }

  /** No message came (the leader has never published one, or the broker lost it): go on with what we know. */
  public void settleWithoutNews() {
    settled.tryComplete();
  }

  public boolean isKnown() {
    return known;
  }

  public Membership current() {
    return current;
  }

  /** Applies a retained assignment payload; throws MalformedMessageException for garbage. */
  public void apply(String unit, Buffer payload) {
    Membership next = payload.length() == 0 ? null : Membership.fromBuffer(payload);
    if (next != null && !unit.equals(next.unit())) {
      throw new io.pioreactor.protocol.MalformedMessageException("membership is for '" + next.unit() + "', not " + unit);
    }
    if (next != null && !next.inInventory()) {
      next = null; // removed: the same as the older empty payload
    }
    Membership before = current;
    boolean first = !known;
    current = next;
    known = true;
    boolean runnable = next != null && next.isActive();
    boolean wasRunnable = !first && before != null && before.isActive();
    if (!runnable && (first || wasRunnable)) {
      haltAll.run();
    }
    onEvery.accept(next);
    if (first || !java.util.Objects.equals(before, next)) {
      onChange.accept(before, next);
    }
    settled.tryComplete();
  }

  public boolean inInventory() {
    return current != null;
  }

  public boolean isActive() {
    return current != null && current.isActive();
  }

  public String experiment() {
    return current == null ? null : current.experiment();
  }
}
