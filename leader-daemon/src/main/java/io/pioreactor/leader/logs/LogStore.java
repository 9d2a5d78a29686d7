package io.pioreactor.leader.logs;

import io.pioreactor.leader.database.SqlQueries;
import io.pioreactor.leader.database.BatchedInserts;
import io.pioreactor.protocol.LogMessage;
import io.pioreactor.protocol.Topic;
import io.pioreactor.protocol.Topics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;

/** Workers' log messages, kept by unit name so they outlive a removed or renamed worker. */
public final class LogStore {
  private final Pool pool;
  private final BatchedInserts inserts;

  public LogStore(Pool pool) {
    this.pool = pool;
    this.inserts = new BatchedInserts(pool, SqlQueries.INSERT_LOG, 20_000);
  }

  /** Stores one log message; topics containing {@code /_testing_} are not kept (upstream's rule). */
  public Future<Void> store(String rawTopic, Topic topic, LogMessage log) {
    if (rawTopic.contains(Topics.TESTING_MARKER)) {
      return Future.succeededFuture();
    }
    String ts = log.timestamp() != null ? log.timestamp() : Instant.now().toString();
    String source = log.source() != null ? log.source() : topic.logSource();
    String level = log.level() != null ? log.level() : topic.logLevel();
    return inserts.insert(Tuple.of(ts, topic.unit(), topic.experiment(), log.message(), log.task(), source, level));
  }

  public Future<JsonArray> recent(String unit, int limit) {
    Future<RowSet<Row>> rows = unit == null
        ? pool.preparedQuery(SqlQueries.RECENT_LOGS).execute(Tuple.of(limit))
        : pool.preparedQuery(SqlQueries.LOGS_OF_UNIT).execute(Tuple.of(unit, limit));
    return rows.map(rs -> {
      JsonArray out = new JsonArray();
      rs.forEach(r -> out.add(new JsonObject()
          .put("timestamp", r.getString("timestamp"))
          .put("pioreactor_unit", r.getString("pioreactor_unit"))
          .put("experiment", r.getString("experiment"))
          .put("message", r.getString("message"))
          .put("task", r.getString("task"))
          .put("source", r.getString("source"))
          .put("level", r.getString("level"))));
      return out;
    });
  }
}
