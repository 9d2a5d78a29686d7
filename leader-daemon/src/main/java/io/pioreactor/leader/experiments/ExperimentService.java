package io.pioreactor.leader.experiments;

import io.pioreactor.leader.api.ApiException;
import io.pioreactor.leader.inventory.InventoryEvents;
import io.pioreactor.protocol.Names;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** Creating and listing experiments. Assignment lives with the inventory. */
public final class ExperimentService {
  private static final int MAX_DESCRIPTION = 10_000;

  private final ExperimentRepository experiments;
  private final InventoryEvents events;

  public ExperimentService(ExperimentRepository experiments, InventoryEvents events) {
    this.experiments = experiments;
    this.events = events;
  }

  public Future<JsonArray> list() {
    return experiments.all();
  }

  /** Upstream's latest experiment: the most recently created one, if any. */
  public Future<java.util.Optional<JsonObject>> latest() {
    return experiments.latest();
  }

  public Future<JsonObject> create(String name, String description) {
    var problem = Names.experimentNameProblem(name);
    if (problem.isPresent()) {
      return Future.failedFuture(ApiException.badRequest("invalid experiment name: " + problem.get()));
    }
    if (description != null && description.length() > MAX_DESCRIPTION) {
      return Future.failedFuture(ApiException.badRequest("description is longer than " + MAX_DESCRIPTION + " characters"));
    }
    return experiments.insert(name, Instant.now().toString(), description)
        .compose(inserted -> inserted ? experiments.find(name)
            : Future.failedFuture(ApiException.conflict("an experiment named '" + name + "' already exists")))
        .map(e -> e.orElseThrow())
        .onSuccess(row -> events.emit(InventoryEvents.EXPERIMENT, row));
  }
}
