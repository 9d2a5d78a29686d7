package io.pioreactor.leader.jobs;

import io.pioreactor.leader.database.SqlQueries;
import io.pioreactor.leader.database.BatchedInserts;
import io.pioreactor.protocol.Topic;
import io.pioreactor.protocol.Topics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;

/**
 * Job state changes and settings as the leader sees them on the broker, stored by unit name and experiment.
 * Only live messages are stored: a retained replay (on every leader reconnect) is not a change.
 */
public final class ActivityHistory {
  private final Pool pool;
  private final BatchedInserts inserts;

  public ActivityHistory(Pool pool) {
    this.pool = pool;
    this.inserts = new BatchedInserts(pool, SqlQueries.INSERT_ACTIVITY, 20_000);
  }

  public Future<Void> record(String rawTopic, Topic topic, String value, boolean retainedReplay) {
    if (retainedReplay || rawTopic.contains(Topics.TESTING_MARKER)) {
      return Future.succeededFuture();
    }
    return inserts.insert(Tuple.of(Instant.now().toString(), topic.unit(), topic.experiment(), topic.job(), topic.jobAttribute(), value));
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
