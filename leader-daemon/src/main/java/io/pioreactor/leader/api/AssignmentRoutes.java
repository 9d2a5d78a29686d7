package io.pioreactor.leader.api;

import io.pioreactor.leader.inventory.InventoryService;
import io.pioreactor.leader.upstream.TaskResults;
import io.pioreactor.protocol.LogMessage;
import io.pioreactor.protocol.Topics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.SortedMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's {@code GET /api/workers/assignments} (who is in which experiment) and {@code DELETE /api/workers/assignments} ("Unassign all workers"): every assignment of every experiment
 * removed, each unit told through its membership (so it halts that experiment's jobs), a line in the leader's log, and
 * upstream's task answer (202, {@code task_id}, {@code result_url_path}); ours adds {@code unassigned}, what was removed.
 * Mounted before {@code /api/workers/:unit}, which would take "assignments" for a unit's name.
 */
final class AssignmentRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(AssignmentRoutes.class);

  private final InventoryService inventory;
  private final TaskResults tasks;
  private final LogRoutes.LinePublisher logLines;
  private final String leaderUnit;

  AssignmentRoutes(InventoryService inventory, TaskResults tasks, LogRoutes.LinePublisher logLines, String leaderUnit) {
    this.inventory = inventory;
    this.tasks = tasks;
    this.logLines = logLines;
    this.leaderUnit = leaderUnit;
  }

  void mount(Router r) {
    r.get("/api/workers/assignments").handler(this::assignments);
    r.delete("/api/workers/assignments").handler(this::unassignEveryone);
  }

  /** Upstream's rows: every worker, its experiment (null: none) and is_active. */
  private void assignments(RoutingContext ctx) {
    HttpApi.json(ctx, 200, inventory.rows().map(rows -> new JsonArray(rows.stream().map(r -> new JsonObject()
        .put("pioreactor_unit", r.unit())
        .put("experiment", r.experiment())
        .put("is_active", r.isActive() ? 1 : 0)).toList())));
  }

  private void unassignEveryone(RoutingContext ctx) {
    HttpApi.json(ctx, 202, inventory.unassignEveryone().map(removed -> {
      logLine(removed);
      String id = tasks.track(Future.succeededFuture(perUnit(removed)));
      JsonArray unassigned = new JsonArray();
      removed.forEach((unit, experiment) -> unassigned.add(new JsonObject().put("pioreactor_unit", unit).put("experiment", experiment)));
      return new JsonObject().put("unit", leaderUnit).put("task_id", id).put("result_url_path", TaskResults.path(id))
          .put("status", "accepted").put("unassigned", unassigned);
    }));
  }

  /** The task's result in upstream's fan-out shape, {@code {<unit>: {ok, unit, value: {experiment}}}}, per unit unassigned. */
  private static JsonObject perUnit(SortedMap<String, String> removed) {
    JsonObject byUnit = new JsonObject();
    removed.forEach((unit, experiment) -> byUnit.put(unit, new JsonObject().put("ok", true).put("unit", unit)
        .put("value", new JsonObject().put("experiment", experiment))));
    return byUnit;
  }

  /** Upstream logs it as the leader (task "unassignment"); a line that cannot be sent must not undo what was done. */
  private void logLine(SortedMap<String, String> removed) {
    String message = "Removed all worker assignments." + (removed.isEmpty() ? " (There were none.)" : " Unassigned: "
        + String.join(", ", removed.keySet()) + ".");
    logLines.publish(Topics.log(leaderUnit, Topics.UNIT_LEVEL, "app", "info"),
            new LogMessage(message, "unassignment", "app", "INFO", Instant.now().toString()).toBuffer())
        .onFailure(err -> LOG.warn("could not log the unassignment of every worker: {}", err.getMessage()));
  }
}
