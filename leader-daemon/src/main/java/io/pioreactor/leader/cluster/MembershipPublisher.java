package io.pioreactor.leader.cluster;

import io.pioreactor.leader.inventory.WorkerRepository;
import io.pioreactor.leader.inventory.WorkerRow;
import io.pioreactor.protocol.Membership;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.mqtt.MqttConnection;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each worker's retained membership topic equal to the database. The database is the truth:
 * a failed publish is not an error for the caller, because every reconnect re-asserts all of it.
 */
public final class MembershipPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(MembershipPublisher.class);

  private final MqttConnection mqtt;
  private final WorkerRepository workers;

  public MembershipPublisher(MqttConnection mqtt, WorkerRepository workers) {
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

  private void judge(String unit, Buffer payload, java.util.Optional<WorkerRow> row) {
    Membership seen;
    try {
      seen = payload.length() == 0 ? null : Membership.fromBuffer(payload);
    } catch (io.pioreactor.protocol.MalformedMessageException e) {
      seen = null;
    }
    if (row.isPresent()) {
      Membership truth = row.get().membership(Instant.now().toString());
      if (!truth.sameDecision(seen)) {
        LOG.warn("the retained membership of {} said {}; the inventory says {}: published again (something other than "
            + "this leader wrote it: check the broker's ACL, or whether another leader uses this broker)", unit,
            describe(seen, payload), describe(truth, null));
        publish(row.get());
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

  private static String describe(Membership m, Buffer raw) {
    if (m == null) {
      return raw == null || raw.length() == 0 ? "nothing (cleared)" : "something malformed";
    }
    return !m.inInventory() ? "removed" : (m.isActive() ? "active" : "inactive") + ", experiment "
        + (m.experiment() == null ? "none" : "'" + m.experiment() + "'");
  }

  static final int MAX_PENDING_CHECKS = 10_000;
  private final java.util.Map<String, Buffer> awaitingCheck = new java.util.HashMap<>();
  private final io.pioreactor.leader.limits.TokenBuckets clears = new io.pioreactor.leader.limits.TokenBuckets(50, 500, 1);
  private final io.pioreactor.leader.limits.Throttled overflow = new io.pioreactor.leader.limits.Throttled(LOG, "over the leader's bound:");

  private Future<Void> send(String unit, Buffer payload) {
    return mqtt.publish(Topics.assignment(unit), payload, 1, true)
        .<Void>mapEmpty()
        .recover(err -> {
          LOG.warn("membership of {} not published now ({}); it is re-asserted on reconnect", unit, err.getMessage());
          return Future.succeededFuture();
        });
  }
}
