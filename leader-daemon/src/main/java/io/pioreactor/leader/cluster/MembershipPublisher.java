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

  /** A retained membership seen on the broker: clear it when the database no longer has that worker. */
  public void checkRetained(String unit, Buffer payload) {
    if (payload.length() == 0) {
      return;
    }
    try {
      if (!Membership.fromBuffer(payload).inInventory()) {
        return; // already says removed (and it is ours: answering it would loop)
      }
    } catch (io.pioreactor.protocol.MalformedMessageException e) {
      LOG.warn("replacing a malformed membership of {}", unit);
    }
    workers.find(unit).onSuccess(row -> {
      if (row.isEmpty()) {
        LOG.info("clearing stale membership of {} (not in the inventory)", unit);
        clear(unit);
      }
    });
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
