package io.pioreactor.leader.experiments;

import io.pioreactor.leader.api.ApiException;
import io.pioreactor.leader.database.SqlQueries;
import io.pioreactor.leader.database.Writes;
import io.pioreactor.protocol.Names;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;

/**
 * What a lab calls each unit in an experiment ("control", "+ glucose"): upstream's {@code pioreactor_unit_labels}, one
 * label per unit and experiment, each label used once per experiment. Labels are data: at most {@link #MAX_LABEL}
 * characters, no control characters. The empty label removes the unit's label (as upstream does).
 */
public final class UnitLabels {
  static final int MAX_LABEL = 64;
  private final Pool pool;
  private final ExperimentRepository experiments;

  public UnitLabels(Pool pool, ExperimentRepository experiments) {
    this.pool = pool;
    this.experiments = experiments;
  }

  /** {@code {unit: label}}. */
  public Future<JsonObject> of(String experiment) {
    return known(experiment).compose(v -> pool.preparedQuery(SqlQueries.UNIT_LABELS_OF_EXPERIMENT).execute(Tuple.of(experiment)))
        .map(rows -> {
          JsonObject out = new JsonObject();
          rows.forEach(r -> out.put(r.getString("pioreactor_unit"), r.getString("label")));
          return out;
        });
  }

  public Future<Void> set(String experiment, String unit, String label) {
    if (unit == null || Names.unitNameProblem(unit).isPresent()) {
      return Future.failedFuture(ApiException.badRequest("invalid unit name: "
          + (unit == null ? "'unit' is required" : Names.unitNameProblem(unit).get())));
    }
    if (label == null) {
      return Future.failedFuture(ApiException.badRequest("'label' is required (the empty label removes it)"));
    }
    String l = label.strip();
    if (l.length() > MAX_LABEL || l.chars().anyMatch(Character::isISOControl)) {
      return Future.failedFuture(ApiException.badRequest("a label is at most " + MAX_LABEL + " characters, without control characters"));
    }
    return known(experiment).compose(v -> l.isEmpty()
            ? Writes.execute(pool, SqlQueries.DELETE_UNIT_LABEL, Tuple.of(experiment, unit))
            : Writes.execute(pool, SqlQueries.UPSERT_UNIT_LABEL, Tuple.of(l, experiment, unit, Instant.now().toString()))
                .recover(err -> Future.failedFuture(String.valueOf(err.getMessage()).contains("UNIQUE")
                    ? ApiException.conflict("the label '" + l + "' is already another unit's in " + experiment
                        + "; labels name one unit each")
                    : err)))
        .mapEmpty();
  }

  /** Upstream's {@code historical_worker_assignments}: every unit ever assigned, and whether it still is (1 or 0). */
  public Future<JsonArray> historicalAssignments(String experiment) {
    return known(experiment).compose(v -> pool.preparedQuery(SqlQueries.HISTORICAL_ASSIGNMENTS).execute(Tuple.of(experiment)))
        .map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(new JsonObject().put("pioreactor_unit", r.getString("pioreactor_unit"))
              .put("experiment", r.getString("experiment"))
              .put("is_currently_assigned_to_experiment", r.getInteger("current"))));
          return out;
        });
  }

  /** A valid name of an experiment that exists: 400 or 404 otherwise. */
  public Future<Void> requireExperiment(String experiment) {
    return known(experiment);
  }

  private Future<Void> known(String experiment) {
    var problem = Names.experimentNameProblem(experiment);
    if (problem.isPresent()) {
      return Future.failedFuture(ApiException.badRequest("invalid experiment name: " + problem.get()));
    }
    return experiments.exists(experiment).compose(yes -> yes ? Future.<Void>succeededFuture()
        : Future.failedFuture(ApiException.notFound("no experiment named '" + experiment + "'")));
  }
}
