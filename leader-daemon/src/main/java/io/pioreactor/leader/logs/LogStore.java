package io.pioreactor.leader.logs;

import io.pioreactor.leader.config.StorageLimits;
import io.pioreactor.leader.database.BatchedInserts;
import io.pioreactor.leader.database.SqlQueries;
import io.pioreactor.leader.database.Writes;
import io.pioreactor.leader.limits.Throttled;
import io.pioreactor.leader.limits.TokenBuckets;
import io.pioreactor.protocol.LogMessage;
import io.pioreactor.protocol.Topic;
import io.pioreactor.protocol.Topics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workers' log messages, kept by unit name so they outlive a removed or renamed worker. Bounded: a unit may have
 * {@code storage.log_rate_per_unit} lines a second stored (more are dropped, and the leader's log says so once a
 * minute), a line is cut at {@code log_max_chars} with a marker, and the table keeps its newest {@code log_max_rows}
 * (and, when set, {@code log_max_age_days}).
 */
public final class LogStore {
  private static final Logger LOG = LoggerFactory.getLogger(LogStore.class);
  private static final int MAX_FIELD = 64;

  private final Pool pool;
  private final BatchedInserts inserts;
  private final StorageLimits limits;
  private final TokenBuckets perUnit;
  private final Throttled dropped = new Throttled(LOG, "sent more log lines than the leader stores; dropped");
  private java.util.function.Consumer<JsonObject> onStored = row -> {};

  public LogStore(Pool pool, StorageLimits limits) {
    this.pool = pool;
    this.limits = limits;
    this.inserts = new BatchedInserts(pool, SqlQueries.INSERT_LOG, 20_000).onCommitted(this::committed);
    this.perUnit = new TokenBuckets(limits.logRatePerUnit(), limits.logBurstPerUnit(), 10_000);
  }

  /** Stores one log message; topics containing {@code /_testing_} are not kept (upstream's rule). */
  public Future<Void> store(String rawTopic, Topic topic, LogMessage log) {
    if (rawTopic.contains(Topics.TESTING_MARKER)) {
      return Future.succeededFuture();
    }
    if (!perUnit.tryTake(topic.unit())) {
      dropped.refused(topic.unit(), "limit " + limits.logRatePerUnit() + " a second, bursts of " + limits.logBurstPerUnit()
          + "; storage.log_rate_per_unit in the leader's config");
      return Future.succeededFuture();
    }
    String ts = log.timestamp() != null ? field(log.timestamp()) : Instant.now().toString();
    String source = log.source() != null ? log.source() : topic.logSource();
    String level = log.level() != null ? log.level() : topic.logLevel();
    return inserts.insert(Tuple.of(ts, topic.unit(), topic.experiment(), message(log.message()), field(log.task()),
        field(source), field(level)));
  }

  /** Tells {@code listener} of each line once it is stored, in {@link #search}'s row shape (with its id), in order. */
  public LogStore onStored(java.util.function.Consumer<JsonObject> listener) {
    this.onStored = listener;
    return this;
  }

  /** The rows of a committed batch: INSERT_LOG's columns, ids consecutive up to {@code lastId}. */
  private void committed(java.util.List<Tuple> rows, long lastId) {
    long id = lastId - rows.size() + 1;
    for (Tuple t : rows) {
      onStored.accept(new JsonObject()
          .put("timestamp", t.getString(0))
          .put("level", t.getString(6))
          .put("pioreactor_unit", t.getString(1))
          .put("message", t.getString(3))
          .put("task", t.getString(4))
          .put("experiment", t.getString(2))
          .put("source", t.getString(5))
          .put("id", id++));
    }
  }

  private String message(String m) {
    if (m.length() <= limits.logMaxChars()) {
      return m;
    }
    return m.substring(0, limits.logMaxChars()) + " … [cut: " + (m.length() - limits.logMaxChars()) + " more characters]";
  }

  private static String field(String s) {
    return s == null || s.length() <= MAX_FIELD ? s : s.substring(0, MAX_FIELD);
  }

  /** Drops what is past the retention bounds: the oldest rows first. */
  public Future<Void> prune() {
    Future<?> byRows = limits.logMaxRows() == 0 ? Future.succeededFuture()
        : Writes.execute(pool, SqlQueries.PRUNE_LOGS_TO_ROWS, Tuple.of(limits.logMaxRows()));
    return byRows.compose(v -> limits.logMaxAgeDays() == 0 ? Future.succeededFuture()
            : Writes.execute(pool, SqlQueries.PRUNE_LOGS_BEFORE,
                Tuple.of(Instant.now().minus(Duration.ofDays(limits.logMaxAgeDays())).toString())))
        .mapEmpty();
  }

  /**
   * Upstream's log views, in its row shape: {@code /experiments/<e>/logs}, {@code …/recent_logs}, per unit in an
   * experiment, a unit's system logs ({@code experiment} = {@code $experiment}) and all of a unit's lines
   * ({@code experiment} null). Rows at {@code minLevel} (default INFO) or above, newest first; {@code unit} null for
   * every unit (a unit's view also has what was sent to every unit, {@code $broadcast}); {@code recent}: the last
   * 24 hours only.
   */
  public Future<JsonArray> upstreamView(String experiment, String unit, String minLevel, int skip, int limit, boolean recent) {
    var levels = LogMessage.levelsFrom(minLevel == null ? "INFO" : minLevel);
    if (levels.isEmpty()) {
      return Future.failedFuture(io.pioreactor.leader.api.ApiException.badRequest("'min_level' must be one of " + LogMessage.LEVELS));
    }
    java.util.List<Object> params = new java.util.ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT timestamp, UPPER(level) AS level, pioreactor_unit, message, task, experiment "
        + "FROM logs WHERE 1 = 1");
    if (experiment != null) {
      sql.append(" AND experiment = ?");
      params.add(experiment);
    }
    if (unit != null) {
      sql.append(" AND (pioreactor_unit = ? OR pioreactor_unit = ?)");
      params.add(unit);
      params.add(Topics.BROADCAST);
    }
    sql.append(" AND UPPER(level) IN (").append(String.join(", ", java.util.Collections.nCopies(levels.get().size(), "?"))).append(")");
    params.addAll(levels.get());
    if (recent) {
      sql.append(" AND timestamp >= ?");
      params.add(Instant.now().minus(Duration.ofHours(24)).toString());
    }
    sql.append(" ORDER BY timestamp DESC LIMIT ? OFFSET ?");
    params.add(limit);
    params.add(skip);
    return pool.preparedQuery(sql.toString()).execute(Tuple.wrap(params)).map(rs -> {
      JsonArray out = new JsonArray();
      rs.forEach(r -> out.add(upstreamRow(r)));
      return out;
    });
  }

  /** The stored lines {@code q} asks for, each with its {@code id} (the order lines came in): see {@link LogQuery}. */
  public Future<JsonArray> search(LogQuery q) {
    java.util.List<Object> params = new java.util.ArrayList<>();
    StringBuilder sql = new StringBuilder(
        "SELECT rowid AS id, timestamp, pioreactor_unit, experiment, message, task, source, level FROM logs WHERE 1 = 1");
    if (q.unit() != null) {
      sql.append(" AND pioreactor_unit = ?");
      params.add(q.unit());
    }
    if (q.experiment() != null) {
      sql.append(" AND experiment = ?");
      params.add(q.experiment());
    }
    if (q.levels() != null) {
      sql.append(" AND UPPER(level) IN (").append(String.join(", ", java.util.Collections.nCopies(q.levels().size(), "?"))).append(")");
      params.addAll(q.levels());
    }
    if (q.beforeId() != null) {
      sql.append(" AND rowid < ?");
      params.add(q.beforeId());
    }
    if (q.afterId() != null) {
      sql.append(" AND rowid > ?");
      params.add(q.afterId());
    }
    sql.append(q.following() ? " ORDER BY rowid ASC" : " ORDER BY rowid DESC").append(" LIMIT ? OFFSET ?");
    params.add(q.limit());
    params.add(q.skip());
    return pool.preparedQuery(sql.toString()).execute(Tuple.wrap(params)).map(rs -> {
      JsonArray out = new JsonArray();
      rs.forEach(r -> out.add(upstreamRow(r).put("source", r.getString("source")).put("id", r.getLong("id"))));
      return out;
    });
  }

  /** A line as upstream's log routes give it: six columns, the level as the query selected it. */
  private static JsonObject upstreamRow(io.vertx.sqlclient.Row r) {
    return new JsonObject()
        .put("timestamp", r.getString("timestamp"))
        .put("level", r.getString("level"))
        .put("pioreactor_unit", r.getString("pioreactor_unit"))
        .put("message", r.getString("message"))
        .put("task", r.getString("task"))
        .put("experiment", r.getString("experiment"));
  }
}
