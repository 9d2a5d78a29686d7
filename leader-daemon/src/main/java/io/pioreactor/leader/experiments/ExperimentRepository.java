package io.pioreactor.leader.experiments;

import io.pioreactor.leader.database.SqlQueries;
import io.pioreactor.leader.database.Writes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/** Experiments in the database, as upstream's rows. */
public final class ExperimentRepository {
  private final Pool pool;

  public ExperimentRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<JsonArray> all() {
    return pool.query(SqlQueries.ALL_EXPERIMENTS).execute().map(rs -> {
      JsonArray out = new JsonArray();
      rs.forEach(r -> out.add(toJson(r)));
      return out;
    });
  }

  public Future<Optional<JsonObject>> find(String experiment) {
    return pool.preparedQuery(SqlQueries.ONE_EXPERIMENT).execute(Tuple.of(experiment)).map(rs -> {
      var it = rs.iterator();
      return it.hasNext() ? Optional.of(toJson(it.next())) : Optional.empty();
    });
  }

  public Future<Optional<JsonObject>> latest() {
    return pool.query(SqlQueries.LATEST_EXPERIMENT).execute().map(rs -> {
      var it = rs.iterator();
      return it.hasNext() ? Optional.of(toJson(it.next())) : Optional.empty();
    });
  }

  public Future<Boolean> exists(String experiment) {
    return find(experiment).map(java.util.Optional::isPresent);
  }

  /** Returns false when an experiment of that name is there already: of racing creates, one wins. */
  public Future<Boolean> insert(String experiment, String createdAt, String description) {
    return Writes.execute(pool, SqlQueries.INSERT_EXPERIMENT, Tuple.of(experiment, createdAt, description, experiment))
        .map(rs -> rs.rowCount() > 0);
  }

  /**
   * Upstream's row: {@code delta_hours} is whole hours since creation (as upstream computes it, a float), and
   * {@code tags} is always empty here (we keep no experiment tags yet).
   */
  private static JsonObject toJson(Row r) {
    String createdAt = r.getString("created_at");
    return new JsonObject()
        .put("experiment", r.getString("experiment"))
        .put("created_at", createdAt)
        .put("description", r.getString("description"))
        .put("delta_hours", deltaHours(createdAt))
        .put("worker_count", r.getInteger("worker_count"))
        .put("tags", new JsonArray());
  }

  static Double deltaHours(String createdAt) {
    try {
      long seconds = java.time.Duration.between(java.time.Instant.parse(createdAt), java.time.Instant.now()).getSeconds();
      return (double) Math.floorDiv(seconds, 3600);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
