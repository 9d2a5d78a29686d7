package io.pioreactor.leader.jobs;

import io.pioreactor.leader.config.StorageLimits;
import io.pioreactor.leader.database.BatchedInserts;
import io.pioreactor.leader.database.SqlQueries;
import io.pioreactor.leader.database.Writes;
import io.pioreactor.leader.limits.Throttled;
import io.pioreactor.leader.limits.TokenBuckets;
import io.pioreactor.protocol.Topic;
import io.pioreactor.protocol.Topics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job state changes and settings as the leader sees them on the broker, stored by unit name and experiment, and the
 * last value of each setting (upstream's {@code pio_job_published_settings}, here for the whole cluster).
 * Only live changes are stored: a retained replay (on every leader reconnect) is not a change, nor is a cleared topic.
 * Bounded: {@code storage.history_rate_per_unit} rows a second per unit, values cut at 4096 characters, and the
 * newest {@code history_max_rows} kept.
 */
public final class ActivityHistory {
  private static final Logger LOG = LoggerFactory.getLogger(ActivityHistory.class);
  private static final int MAX_VALUE = 4_096;

  private final Pool pool;
  private final BatchedInserts inserts;
  /** The last value of each setting (pio_job_published_settings), written with the history row. */
  private final BatchedInserts latest;
  private final StorageLimits limits;
  private final TokenBuckets perUnit;
  private final Throttled dropped = new Throttled(LOG, "changed its jobs faster than the leader stores; dropped");

  public ActivityHistory(Pool pool, StorageLimits limits) {
    this.pool = pool;
    this.limits = limits;
    this.inserts = new BatchedInserts(pool, SqlQueries.INSERT_ACTIVITY, 20_000);
    this.latest = new BatchedInserts(pool, SqlQueries.UPSERT_PUBLISHED_SETTING, 20_000);
    this.perUnit = new TokenBuckets(limits.historyRatePerUnit(), limits.historyBurstPerUnit(), 10_000);
  }

  public Future<Void> record(String rawTopic, Topic topic, String value, boolean retainedReplay) {
    if (retainedReplay || value.isEmpty() || rawTopic.contains(Topics.TESTING_MARKER)) {
      return Future.succeededFuture();
    }
    if (!perUnit.tryTake(topic.unit())) {
      dropped.refused(topic.unit(), "limit " + limits.historyRatePerUnit() + " a second; storage.history_rate_per_unit");
      return Future.succeededFuture();
    }
    String v = value.length() <= MAX_VALUE ? value : value.substring(0, MAX_VALUE) + " … [cut]";
    String now = Instant.now().toString();
    Future<Void> row = inserts.insert(Tuple.of(now, topic.unit(), topic.experiment(), topic.job(), topic.jobAttribute(), v));
    if (topic.isJobState()) {
      return row;
    }
    return Future.all(row, latest.insert(Tuple.of(topic.unit(), topic.experiment(), topic.job(), topic.jobAttribute(), v, now, now)))
        .mapEmpty();
  }

  public Future<Void> prune() {
    return limits.historyMaxRows() == 0 ? Future.succeededFuture()
        : Writes.execute(pool, SqlQueries.PRUNE_ACTIVITY_TO_ROWS, Tuple.of(limits.historyMaxRows())).mapEmpty();
  }

  public Future<JsonArray> recent(String unit, int limit) {
    return pool.preparedQuery(SqlQueries.ACTIVITY_OF_UNIT).execute(Tuple.of(unit, limit)).map(rs -> {
      JsonArray out = new JsonArray();
      rs.forEach(r -> out.add(new JsonObject().put("at", r.getString("at")).put("pioreactor_unit", r.getString("pioreactor_unit"))
          .put("experiment", r.getString("experiment")).put("job_name", r.getString("job_name"))
          .put("attribute", r.getString("attribute")).put("value", r.getString("value"))));
      return out;
    });
  }
}
