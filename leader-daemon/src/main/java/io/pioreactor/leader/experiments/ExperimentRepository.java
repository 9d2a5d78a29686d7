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

  public Future<Boolean> exists(String experiment) {
    return find(experiment).map(java.util.Optional::isPresent);
  }

  public Future<Void> insert(String experiment, String createdAt, String description) {
    return Writes.execute(pool, SqlQueries.INSERT_EXPERIMENT, Tuple.of(experiment, createdAt, description)).mapEmpty();
  }

  private static JsonObject toJson(Row r) {
    return new JsonObject()
        .put("experiment", r.getString("experiment"))
        .put("created_at", r.getString("created_at"))
        .put("description", r.getString("description"))
        .put("worker_count", r.getInteger("worker_count"));
  }
}
