package io.pioreactor.leader.api;

import io.pioreactor.leader.config.LeaderConfig;
import io.pioreactor.leader.experiments.ExperimentService;
import io.pioreactor.leader.inventory.InventoryService;
import io.pioreactor.leader.system.RebootService;
import io.pioreactor.leader.upstream.Descriptors;
import io.pioreactor.leader.upstream.JobDescriptors;
import io.pioreactor.leader.upstream.Models;
import io.pioreactor.leader.upstream.TaskResults;
import io.pioreactor.protocol.Protocol;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Endpoints that exist for upstream's web app and upstream-era scripts, answering in upstream's shapes
 * (docs/api.md, "Upstream compatibility"): the model registry, the shared config as INI text, job
 * descriptors, the latest experiment, reboot/shutdown as tasks polled at {@code /unit_api/task_results/<id>},
 * and the leader's own {@code /unit_api} facts (disk space, app version, USB).
 */
final class UpstreamRoutes {
  private final Vertx vertx;
  private final LeaderConfig config;
  private final InventoryService inventory;
  private final ExperimentService experiments;
  private final RebootService reboots;
  private final io.pioreactor.leader.cluster.LiveUnits live;
  private final TaskResults tasks = new TaskResults();
  /** Running-jobs answers, kept apart: a page polling them must not push a reboot's result out of {@link #tasks}. */
  private final TaskResults runningTasks = new TaskResults();
  private final int brokerPort;
  private final int brokerWsPort;

  UpstreamRoutes(Vertx vertx, LeaderConfig config, InventoryService inventory, ExperimentService experiments,
                 RebootService reboots, io.pioreactor.leader.cluster.LiveUnits live, int brokerPort, int brokerWsPort) {
    this.live = live;
    this.vertx = vertx;
    this.config = config;
    this.inventory = inventory;
    this.experiments = experiments;
    this.reboots = reboots;
    this.brokerPort = brokerPort;
    this.brokerWsPort = brokerWsPort;
  }

  /** The tasks polled at {@code /unit_api/task_results/<id>}: other routes that answer with a task record theirs here. */
  TaskResults tasks() {
    return tasks;
  }

  /** Mounted after the body handler and before the API's catch-all 404. */
  void mount(Router r) {
    r.get("/api/models").handler(ctx -> HttpApi.json(ctx, 200,
        Future.succeededFuture(new JsonObject().put("models", Models.asJson()))));
    r.get("/api/workers/:unit/model").handler(this::getModel);
    r.put("/api/workers/:unit/model").handler(this::putModel);
    r.get("/api/jobs/descriptors").handler(ctx -> HttpApi.json(ctx, 200, Future.succeededFuture(JobDescriptors.all())));
    // Upstream asks each worker for its own descriptors; ours are the same on every worker, so the leader answers for
    // any unit in the inventory.
    r.get("/api/workers/:unit/jobs/descriptors").handler(ctx -> HttpApi.json(ctx, 200,
        worker(ctx).map(v -> JobDescriptors.all())));
    r.get("/api/settings/descriptors").handler(ctx -> HttpApi.json(ctx, 200, Future.succeededFuture(Descriptors.settings())));
    r.get("/api/workers/:unit/settings/descriptors").handler(ctx -> HttpApi.json(ctx, 200,
        worker(ctx).map(v -> Descriptors.settings())));
    r.get("/api/automations/descriptors/:type").handler(ctx -> HttpApi.json(ctx, 200,
        Future.succeededFuture(automations(ctx.pathParam("type")))));
    r.get("/api/workers/:unit/automations/descriptors/:type").handler(ctx -> {
      String type = ctx.pathParam("type");
      HttpApi.json(ctx, 200, worker(ctx).map(v -> automations(type)));
    });
    r.get("/api/charts/descriptors").handler(ctx -> HttpApi.json(ctx, 200, Future.succeededFuture(Descriptors.charts())));
    r.get("/api/experiments/latest").handler(ctx -> experiments.latest()
        .onSuccess(e -> ctx.response().putHeader("content-type", "application/json")
            .end(e.map(JsonObject::encode).orElse("null")))
        .onFailure(ctx::fail));
    r.get("/api/local_access_point").handler(ctx -> HttpApi.json(ctx, 200,
        Future.succeededFuture(new JsonObject().put("active", false))));
    r.post("/api/units/:unit/system/reboot").handler(ctx -> task(ctx, reboots::reboot));
    r.post("/api/units/:unit/system/shutdown").handler(ctx -> task(ctx, reboots::shutdown));

    for (String prefix : List.of("/api/units", "/api/workers")) {
      r.get(prefix + "/:unit/jobs/running").handler(this::runningJobs);
    }
    r.get("/unit_api/health").handler(ctx -> HttpApi.json(ctx, 200, Future.succeededFuture(new JsonObject()
        .put("status", "ok").put("pioreactor_unit", config.unit()).put("utc_time", Instant.now().toString()))));
    r.get("/unit_api/versions/app").handler(ctx -> HttpApi.json(ctx, 200,
        Future.succeededFuture(new JsonObject().put("version", Protocol.APP_VERSION))));
    r.get("/unit_api/system/disk_space").handler(ctx -> HttpApi.json(ctx, 200,
        vertx.fileSystem().fsProps(config.databasePath().getParent().toString())
            .map(p -> new JsonObject().put("available_bytes", p.usableSpace()).put("total_bytes", p.totalSpace()))));
    // We manage no USB drives: always "absent", in upstream's shape.
    r.get("/unit_api/usb").handler(ctx -> HttpApi.json(ctx, 200, Future.succeededFuture(new JsonObject()
        .put("status", "absent").put("partitions", new JsonArray()).put("active_mount", null))));
    r.get("/unit_api/task_results/:id").handler(ctx -> {
      String id = ctx.pathParam("id");
      var result = tasks.get(id).or(() -> runningTasks.get(id));
      if (result.isEmpty()) {
        throw new ApiException(404, "no task " + id + " on " + config.unit(), null,
            "task results are kept in memory for the newest 1000 tasks; a leader restart forgets them", null);
      }
      boolean pending = "pending".equals(result.get().getString("status"));
      HttpApi.json(ctx, pending ? 202 : 200, Future.succeededFuture(result.get()));
    });
    r.route("/unit_api/*").handler(HttpApi::noSuchEndpoint);
  }

  /** The unit in the path, in the inventory ({@code $broadcast} is not one unit: 400, as upstream answers). */
  private Future<Void> worker(RoutingContext ctx) {
    String unit = ctx.pathParam("unit");
    if (io.pioreactor.protocol.Topics.BROADCAST.equals(unit)) {
      return Future.failedFuture(new ApiException(400, "descriptors are per unit, not $broadcast", null,
          "each worker describes what it runs", "ask for one unit: /api/workers/<unit>/…"));
    }
    // A unit not in the inventory: 400, as upstream answers for a unit it cannot reach.
    return inventory.find(unit).compose(row -> row.isPresent() ? Future.<Void>succeededFuture()
        : Future.failedFuture(new ApiException(400, unit + " is not in the inventory", null,
            "only the inventory's units are asked", "GET /api/workers lists them")));
  }

  /**
   * Upstream's running jobs: a task (202) whose result is {@code {<unit>: {ok, unit, value: [job rows]}}}, for one unit
   * in the inventory or every one ({@code $broadcast}); the leader answers from what it hears, so the task is done
   * when polled. A unit not in the inventory: 400, as upstream answers for a unit it cannot reach.
   */
  private void runningJobs(RoutingContext ctx) {
    String unit = ctx.pathParam("unit");
    Future<List<String>> units = io.pioreactor.protocol.Topics.BROADCAST.equals(unit)
        ? inventory.rows().map(rows -> rows.stream().map(io.pioreactor.leader.inventory.WorkerRow::unit).toList())
        : inventory.find(unit).compose(row -> row.isPresent() ? Future.succeededFuture(List.of(unit))
            : Future.failedFuture(new ApiException(400, unit + " is not in the inventory", null,
                "only the inventory's units run jobs", "GET /api/workers lists them")));
    HttpApi.json(ctx, 202, units.map(us -> {
      JsonObject byUnit = new JsonObject();
      for (String u : us) {
        byUnit.put(u, new JsonObject().put("ok", true).put("unit", u)
            .put("value", live.get(u).map(s -> s.jobMetadata(u, config.unit())).orElse(new JsonArray())));
      }
      String id = runningTasks.track(Future.succeededFuture(byUnit));
      return new JsonObject().put("unit", config.unit()).put("task_id", id).put("result_url_path", TaskResults.path(id))
          .put("status", "accepted");
    }));
  }

  private static JsonArray automations(String type) {
    return Descriptors.automations(type).orElseThrow(() -> new ApiException(400, "not a valid automation type", null,
        "automations are of type " + String.join(", ", Descriptors.AUTOMATION_TYPES), "choose one of " + Descriptors.AUTOMATION_TYPES));
  }

  private void getModel(RoutingContext ctx) {
    String unit = ctx.pathParam("unit");
    HttpApi.json(ctx, 200, inventory.get(unit).compose(w -> {
      var model = Models.find(w.getString("model_name"), w.getString("model_version"));
      if (model.isEmpty()) {
        return Future.failedFuture(new ApiException(404, "model not set for worker " + unit, null,
            "its model is unset or not one upstream knows", "set it: PUT /api/workers/" + unit + "/model"));
      }
      return Future.succeededFuture(new JsonObject().put("pioreactor_unit", unit).mergeIn(model.get().toJson()));
    }));
  }

  private void putModel(RoutingContext ctx) {
    String unit = ctx.pathParam("unit");
    JsonObject b = Bodies.object(ctx);
    String name = Bodies.string(b, "model_name", true);
    String version = Bodies.string(b, "model_version", true);
    // The worker first (404), then the model (400), as upstream checks them.
    HttpApi.json(ctx, 200, inventory.get(unit).compose(w -> Models.known(name, version)
        ? inventory.setModel(unit, name, version).map(v -> new JsonObject().put("status", "success"))
        : Future.failedFuture(Models.unknown(name, version, null))));
  }

  /**
   * Upstream's task response: {@code 202 {unit, task_id, result_url_path, status: "accepted"}} where {@code unit}
   * is the unit holding the result (the leader). We gather the units' replies first (a few seconds), so the
   * answer also carries them ({@code results}, {@code no_answer}) and the task is already done when polled.
   */
  private void task(RoutingContext ctx, Function<String, Future<JsonObject>> action) {
    HttpApi.json(ctx, 202, action.apply(ctx.pathParam("unit")).map(o -> {
      String id = tasks.track(Future.succeededFuture(perUnit(o)));
      return o.copy().put("unit", config.unit()).put("task_id", id).put("result_url_path", TaskResults.path(id));
    }));
  }

  /** Upstream's fan-out result: {@code {<unit>: {ok, unit, value} | {ok: false, unit, error: {kind, message}, ...}}}. */
  private static JsonObject perUnit(JsonObject outcome) {
    JsonObject byUnit = new JsonObject();
    for (Object o : outcome.getJsonArray("results", new JsonArray())) {
      JsonObject r = (JsonObject) o;
      String unit = r.getString("pioreactor_unit");
      byUnit.put(unit, r.getBoolean("ok")
          ? new JsonObject().put("ok", true).put("unit", unit).put("value", new JsonObject())
          : failure(unit, "refused", r.getString("error"), false));
    }
    for (Object u : outcome.getJsonArray("no_answer", new JsonArray())) {
      byUnit.put((String) u, failure((String) u, "no_answer", "no answer from " + u + " within a few seconds", true));
    }
    return byUnit;
  }

  private static JsonObject failure(String unit, String kind, String message, boolean retryable) {
    return new JsonObject().put("ok", false).put("unit", unit)
        .put("error", new JsonObject().put("kind", kind).put("message", message))
        .put("status_code", null).put("retryable", retryable);
  }
}
