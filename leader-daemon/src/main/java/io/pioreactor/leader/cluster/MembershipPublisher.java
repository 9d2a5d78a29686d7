package io.pioreactor.leader.cluster;

import io.pioreactor.leader.inventory.WorkerRepository;
import io.pioreactor.leader.limits.Throttled;
import io.pioreactor.leader.limits.TokenBuckets;
import io.pioreactor.leader.inventory.WorkerRow;
import io.pioreactor.protocol.Membership;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.mqtt.MqttConnection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each worker's retained membership topic equal to the database. The database is the truth:
 * a failed publish is not an error for the caller, because every reconnect re-asserts all of it.
 */
public final class MembershipPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(MembershipPublisher.class);

  /** Restores of one unit's membership: three at once, then one per five seconds (two leaders would fight). */
  static final double RESTORES_PER_SECOND = 0.2;
  static final int RESTORE_BURST = 3;

  static final int MAX_PENDING_CHECKS = 10_000;
  private final Map<String, Buffer> awaitingCheck = new HashMap<>();
  private final TokenBuckets clears = new TokenBuckets(50, 500, 1);
  private final Throttled overflow = new Throttled(LOG, "over the leader's bound:");
  private final Vertx vertx;
  private final MqttConnection mqtt;
  private final WorkerRepository workers;
  private final TokenBuckets restores =
      new TokenBuckets(RESTORES_PER_SECOND, RESTORE_BURST, 10_000);
  private final Set<String> restoreLater = new HashSet<>();
  private final Throttled fighting = new Throttled(LOG,
      "membership keeps being overwritten: another leader, or a tool with the leader's credentials, writes it too."
      + " Stop it: only one leader per broker. Restores so far:");

  public MembershipPublisher(Vertx vertx, MqttConnection mqtt, WorkerRepository workers) {
    this.vertx = vertx;
    this.mqtt = mqtt;
    this.workers = workers;
  }

  public Future<Void> publish(WorkerRow row) {
    Membership m = row.membership(Instant.now().toString());
    return send(row.unit(), m.toBuffer());
  }

  /** Re-reads the worker and publishes its membership, or clears it when the worker is gone. */
  public Future<Void> refresh(String unit) {
    return workers.find(unit).compose(row -> row.map(this::publish).orElseGet(() -> clear(unit)));
  }

  /** Publishes the retained "removed" membership: a worker away now learns it when it returns. */
  public Future<Void> clear(String unit) {
    return send(unit, Membership.removed(unit, Instant.now().toString()).toBuffer());
  }

  /** Publishes every worker's membership: after each (re)connect, so a broker restart loses nothing. */
  public Future<Void> reassertAll() {
    return workers.all().compose(rows -> {
      List<Future<Void>> sent = new ArrayList<>();
      rows.forEach(r -> sent.add(publish(r)));
      LOG.info("re-asserted membership of {} workers", rows.size());
      return Future.all(sent).mapEmpty();
    });
  }

  /**
   * A membership seen on the broker. The leader owns these topics: whatever else writes there (a unit, a stranger, a
   * stale broker), the database's decision goes back at once and the log says what was there. Checks are coalesced per
   * unit (the latest payload is judged once the database answers) and bounded, so a flood costs one lookup per unit.
   * The leader's own publications come back here too and agree with the database, so they cost a lookup, no more.
   */
  public void checkRetained(String unit, Buffer payload) {
    boolean idle = !awaitingCheck.containsKey(unit);
    if (idle && awaitingCheck.size() >= MAX_PENDING_CHECKS) {
      overflow.refused("memberships to check", MAX_PENDING_CHECKS + " waiting; skipped " + unit);
      return;
    }
    awaitingCheck.put(unit, payload);
    if (idle) {
      workers.find(unit).onComplete(ar -> {
        Buffer latest = awaitingCheck.remove(unit);
        if (ar.succeeded()) {
          judge(unit, latest, ar.result());
        }
      });
    }
  }

  private void judge(String unit, Buffer payload, Optional<WorkerRow> row) {
    Membership seen;
    try {
      seen = payload.length() == 0 ? null : Membership.fromBuffer(payload);
    } catch (io.pioreactor.protocol.MalformedMessageException e) {
      seen = null;
    }
    if (row.isPresent()) {
      Membership truth = row.get().membership(Instant.now().toString());
      if (!truth.sameDecision(seen)) {
        restore(unit, row.get(), describe(seen, payload), describe(truth, null));
      }
    } else if (seen == null ? payload.length() > 0 : seen.inInventory()) {
      if (clears.tryTake("clears")) {
        LOG.info("clearing the membership of {} ({}): it is not in the inventory", unit, describe(seen, payload));
        clear(unit);
      } else {
        overflow.refused("stale memberships", "clearing at most 50 a second; " + unit + " waits for the next reconnect");
      }
    }
  }

  /**
   * Publishes the truth again, at a bounded rate per unit: past it, once more when the unit's bucket has a token, so
   * the database's decision is the last word even when something keeps writing over it.
   */
  private void restore(String unit, WorkerRow row, String seen, String truth) {
    if (restores.tryTake(unit)) {
      LOG.warn("the retained membership of {} said {}; the inventory says {}: published again (something other than "
          + "this leader wrote it: check the broker's ACL, or whether another leader uses this broker)", unit, seen, truth);
      publish(row);
      return;
    }
    fighting.refused(unit + "'s", "latest: " + seen + "; the inventory says " + truth);
    if (restoreLater.add(unit)) {
      long ms = Math.max(1, (long) Math.ceil(restores.secondsUntilNext(unit) * 1000));
      vertx.setTimer(ms, t -> {
        restoreLater.remove(unit);
        if (restores.tryTake(unit)) {
          refresh(unit);
        }
      });
    }
  }

  private static String describe(Membership m, Buffer raw) {
    if (m == null) {
      return raw == null || raw.length() == 0 ? "nothing (cleared)" : "something malformed";
    }
    return !m.inInventory() ? "removed" : (m.isActive() ? "active" : "inactive") + ", experiment "
        + (m.experiment() == null ? "none" : "'" + m.experiment() + "'");
  }

  private Future<Void> send(String unit, Buffer payload) {
    return mqtt.publish(Topics.assignment(unit), payload, 1, true)
        .<Void>mapEmpty()
        .recover(err -> {
          LOG.warn("membership of {} not published now ({}); it is re-asserted on reconnect", unit, err.getMessage());
          return Future.succeededFuture();
        });
  }
}
