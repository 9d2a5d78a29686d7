package io.pioreactor.leader.inventory;

import io.pioreactor.leader.database.SqlQueries;
import io.pioreactor.leader.database.Writes;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Workers and their assignments in the database. Each write is one statement or one transaction. */
public final class WorkerRepository {
  private final Pool pool;

  public WorkerRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<List<WorkerRow>> all() {
    return pool.query(SqlQueries.ALL_WORKERS).execute().map(WorkerRepository::rows);
  }

  public Future<Optional<WorkerRow>> find(String unit) {
    return pool.preparedQuery(SqlQueries.ONE_WORKER).execute(Tuple.of(unit))
        .map(rs -> rows(rs).stream().findFirst());
  }

  public Future<List<WorkerRow>> ofExperiment(String experiment) {
    return pool.preparedQuery(SqlQueries.WORKERS_OF_EXPERIMENT).execute(Tuple.of(experiment)).map(WorkerRepository::rows);
  }

  /** Returns false when a worker of that name (in any case) is there already: of racing inserts, one wins. */
  public Future<Boolean> insert(String unit, String addedAt, String model, String version, String ipv4) {
    return Writes.execute(pool, SqlQueries.INSERT_WORKER, Tuple.of(unit, addedAt, model, version, ipv4, unit))
        .map(rs -> rs.rowCount() > 0);
  }

  /** The name of the worker that is {@code unit} but for case, if any. */
  public Future<Optional<String>> nameLike(String unit) {
    return pool.preparedQuery(SqlQueries.WORKER_NAMED_LIKE).execute(Tuple.of(unit))
        .map(rs -> rs.iterator().hasNext() ? Optional.of(rs.iterator().next().getString(0)) : Optional.empty());
  }

  /** Returns whether a row was deleted. Its assignment goes by cascade; its history stays. */
  public Future<Boolean> delete(String unit) {
    return Writes.execute(pool, SqlQueries.DELETE_WORKER, Tuple.of(unit)).map(rs -> rs.rowCount() > 0);
  }

  public Future<Boolean> setActive(String unit, boolean active) {
    return Writes.execute(pool, SqlQueries.SET_ACTIVE, Tuple.of(active ? 1 : 0, unit)).map(rs -> rs.rowCount() > 0);
  }

  public Future<Boolean> setModel(String unit, String model, String version) {
    return Writes.execute(pool, SqlQueries.SET_MODEL, Tuple.of(model, version, unit)).map(rs -> rs.rowCount() > 0);
  }

  /** Rows from before every worker got a model (upstream's page asks for a missing one): given the default. */
  public Future<Void> fillMissingModels(String model, String version) {
    return Writes.execute(pool, SqlQueries.FILL_MISSING_MODELS, Tuple.of(model, version)).mapEmpty();
  }

  public Future<Void> setIpv4(String unit, String ipv4) {
    return Writes.execute(pool, SqlQueries.SET_IPV4, Tuple.of(ipv4, unit)).mapEmpty();
  }

  /** Replaces the worker's assignment (one experiment per worker), closing the old one in history. */
  public Future<Void> assign(String unit, String experiment, String assignedAt) {
    return Writes.inTransaction(pool, conn -> conn.preparedQuery(SqlQueries.DELETE_ASSIGNMENT_OF_WORKER).execute(Tuple.of(unit))
        .compose(rs -> conn.preparedQuery(SqlQueries.INSERT_ASSIGNMENT).execute(Tuple.of(unit, experiment, assignedAt)))
        .mapEmpty());
  }

  public Future<Boolean> unassign(String unit, String experiment) {
    return Writes.execute(pool, SqlQueries.DELETE_ASSIGNMENT, Tuple.of(unit, experiment)).map(rs -> rs.rowCount() > 0);
  }

  /** Unassigns every worker of the experiment; returns their names. */
  public Future<List<String>> unassignAll(String experiment) {
    return Writes.execute(pool, SqlQueries.DELETE_ASSIGNMENTS_OF_EXPERIMENT, Tuple.of(experiment)).map(rs -> {
      List<String> units = new ArrayList<>();
      rs.forEach(r -> units.add(r.getString(0)));
      return units;
    });
  }

  /** Removes every assignment; returns each removed one as {unit → experiment}, by unit. */
  public Future<java.util.SortedMap<String, String>> unassignEveryone() {
    return Writes.execute(pool, SqlQueries.DELETE_ALL_ASSIGNMENTS, Tuple.tuple()).map(rs -> {
      java.util.SortedMap<String, String> removed = new java.util.TreeMap<>();
      rs.forEach(r -> removed.put(r.getString(0), r.getString(1)));
      return removed;
    });
  }

  private static List<WorkerRow> rows(RowSet<Row> rs) {
    List<WorkerRow> out = new ArrayList<>();
    rs.forEach(r -> out.add(WorkerRow.from(r)));
    return out;
  }
}
