package io.pioreactor.leader.api;

import io.pioreactor.leader.clocks.ClockService;
import io.pioreactor.leader.inventory.InventoryService;
import io.pioreactor.leader.upstream.TaskResults;
import io.pioreactor.protocol.ClockExchange;
import io.pioreactor.protocol.Names;
import io.pioreactor.protocol.Topics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.TreeSet;

/**
 * Units' clocks (docs/api.md): ours, {@code GET /api/clocks} and {@code POST /api/clocks/sync} (answered when done);
 * upstream's {@code GET /api/units/<u>/system/utc_clock} (each unit's time, measured now), {@code POST /api/system/utc_clock}
 * and {@code POST /api/units/<u|$broadcast>/system/utc_clock} (sync), as tasks polled at {@code /unit_api/task_results/<id>}.
 * Mounted before UpstreamRoutes: a task id this class does not know goes on to theirs.
 */
final class ClockRoutes {
  /** Upstream's clock_time: UTC to the millisecond ({@code 2025-01-31T12:34:56.789Z}), as its page parses it. */
  private static final DateTimeFormatter UPSTREAM_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);

  private final ClockService clocks;
  private final InventoryService inventory;
  private final String leaderUnit;
  private final TaskResults tasks = new TaskResults();

  ClockRoutes(ClockService clocks, InventoryService inventory, String leaderUnit) {
    this.clocks = clocks;
    this.inventory = inventory;
    this.leaderUnit = leaderUnit;
  }

  void mount(Router r) {
    r.get("/api/clocks").handler(this::list);
    r.post("/api/clocks/sync").handler(ctx -> HttpApi.json(ctx, 200, syncBody(ctx).compose(this::sync)));
    r.get("/api/units/:unit/system/utc_clock").handler(ctx -> task(ctx, units(ctx).compose(this::clockTimes)));
    r.post("/api/units/:unit/system/utc_clock").handler(ctx -> task(ctx, units(ctx).compose(this::syncTask)));
    r.post("/api/system/utc_clock").handler(this::upstreamSync);
    // The leader's own unit API, as upstream's: its clock now.
    r.get("/unit_api/system/utc_clock").handler(ctx -> HttpApi.json(ctx, 200, Future.succeededFuture(new JsonObject()
        .put("status", "success").put("clock_time", UPSTREAM_TIME.format(Instant.now())))));
    r.get("/unit_api/task_results/:id").handler(ctx -> {
      var result = tasks.get(ctx.pathParam("id"));
      if (result.isEmpty()) {
        ctx.next(); // not a clock task: UpstreamRoutes knows the others
        return;
      }
      HttpApi.json(ctx, "pending".equals(result.get().getString("status")) ? 202 : 200, Future.succeededFuture(result.get()));
    });
  }

  /** {@code {max_offset_s, clocks: {<unit>: clock | null}}} for every unit in the inventory. */
  private void list(RoutingContext ctx) {
    HttpApi.json(ctx, 200, inventory.rows().map(rows -> {
      JsonObject byUnit = new JsonObject();
      rows.forEach(row -> byUnit.put(row.unit(), clocks.offsets().json(row.unit())));
      return new JsonObject().put("max_offset_s", clocks.settings().maxOffsetS()).put("clocks", byUnit);
    }));
  }

  /** {@code {units: [..]}} (optional; none or empty: every connected unit of the inventory). */
  private Future<Set<String>> syncBody(RoutingContext ctx) {
    JsonObject b = ctx.body().isEmpty() ? new JsonObject() : Bodies.object(ctx);
    Object units = b.getValue("units", new JsonArray());
    if (!(units instanceof JsonArray a) || a.size() > 1000 || a.stream().anyMatch(u -> !(u instanceof String))) {
      throw ApiException.badRequest("'units' must be a list of unit names (or left out: every connected unit)");
    }
    if (a.isEmpty()) {
      return clocks.connectedUnits();
    }
    Future<Set<String>> all = Future.succeededFuture(new TreeSet<>());
    for (Object u : a) {
      all = all.compose(set -> named((String) u).map(one -> {
        set.addAll(one);
        return set;
      }));
    }
    return all;
  }

  private Future<JsonObject> sync(Set<String> units) {
    refuseWhileSyncing();
    return clocks.sync(units).map(results -> new JsonObject().put("max_offset_s", clocks.settings().maxOffsetS())
        .put("results", results));
  }

  private void refuseWhileSyncing() {
    if (clocks.syncing()) {
      throw new ApiException(409, "a clock sync is already running", null,
          "one sync at a time: it ends within about 30 s", "wait for it to finish, then try again");
    }
  }

  /**
   * Upstream's "Update clocks": the leader's clock is set to {@code utc_clock_time} (with {@code clocks.leader_set_command};
   * none configured: chrony keeps it), then every connected unit syncs to the leader's.
   */
  private void upstreamSync(RoutingContext ctx) {
    JsonObject b = ctx.body().isEmpty() ? new JsonObject() : Bodies.object(ctx);
    String given = Bodies.string(b, "utc_clock_time", false);
    Instant time = null;
    if (given != null) {
      try {
        time = java.time.OffsetDateTime.parse(given).toInstant();
      } catch (DateTimeParseException e) {
        throw new ApiException(400, "Invalid utc_clock_time format. Use ISO 8601.", null,
            "Unable to parse '" + (given.length() > 64 ? given.substring(0, 64) + "…" : given) + "' as ISO 8601.", "Use an ISO 8601 timestamp, e.g. 2025-01-31T12:34:56Z.");
      }
    }
    refuseWhileSyncing();
    Future<Boolean> leaderSet = time == null ? Future.succeededFuture(false) : clocks.leaderClock().set(time);
    task(ctx, leaderSet.compose(v -> clocks.connectedUnits()).compose(this::syncTask));
  }

  /** Upstream's per-unit result for a sync: {@code {ok, unit, value: {before, after, within_threshold}}} or a failure. */
  private Future<Future<JsonObject>> syncTask(Set<String> units) {
    refuseWhileSyncing();
    Future<JsonArray> running = clocks.sync(units);
    return Future.succeededFuture(running.map(results -> {
      JsonObject byUnit = new JsonObject();
      for (Object o : results) {
        JsonObject r = (JsonObject) o;
        String u = r.getString("pioreactor_unit");
        byUnit.put(u, r.getBoolean("ok") && r.getString("error") == null
            ? new JsonObject().put("ok", true).put("unit", u).put("value", r)
            : failure(u, r.getBoolean("ok") ? "no_answer" : "refused", r.getString("error")));
      }
      return byUnit;
    }));
  }

  /** Upstream's {@code {<unit>: {ok, unit, value: {status, clock_time}}}}: the leader's time plus each unit's offset now. */
  private Future<Future<JsonObject>> clockTimes(Set<String> units) {
    JsonObject byUnit = new JsonObject();
    Future<Void> all = Future.succeededFuture();
    for (String u : units) {
      all = all.compose(v -> clocks.measure(u).map(c -> {
        long unitNow = Math.round(ClockExchange.nowMs() + c.offsetMs());
        byUnit.put(u, new JsonObject().put("ok", true).put("unit", u).put("value", new JsonObject()
            .put("status", "success").put("clock_time", UPSTREAM_TIME.format(Instant.ofEpochMilli(unitNow)))));
        return (Void) null;
      }).otherwise(err -> {
        byUnit.put(u, failure(u, "no_answer", err.getMessage()));
        return null;
      }));
    }
    return Future.succeededFuture(all.map(byUnit));
  }

  /** 202 at once with upstream's task fields; the result is there to poll when the work is done. */
  private void task(RoutingContext ctx, Future<Future<JsonObject>> started) {
    HttpApi.json(ctx, 202, started.map(running -> {
      String id = tasks.track(running);
      return new JsonObject().put("unit", leaderUnit).put("task_id", id).put("result_url_path", TaskResults.path(id))
          .put("status", "accepted");
    }));
  }

  /** {@code $broadcast}: every connected unit of the inventory; else one unit, in the inventory (or the leader). */
  private Future<Set<String>> units(RoutingContext ctx) {
    String unit = ctx.pathParam("unit");
    return Topics.BROADCAST.equals(unit) ? clocks.connectedUnits() : named(unit);
  }

  private Future<Set<String>> named(String unit) {
    var problem = Names.unitNameProblem(unit);
    if (problem.isPresent()) {
      return Future.failedFuture(ApiException.badRequest("invalid unit name '" + unit + "': " + problem.get()));
    }
    return inventory.find(unit).compose(row -> row.isPresent() || unit.equals(leaderUnit)
        ? Future.succeededFuture(Set.of(unit))
        : Future.failedFuture(new ApiException(404, unit + " is not in the inventory", null,
            "only the inventory's units are measured and synced", "GET /api/workers lists them")));
  }

  private static JsonObject failure(String unit, String kind, String message) {
    return new JsonObject().put("ok", false).put("unit", unit)
        .put("error", new JsonObject().put("kind", kind).put("message", message))
        .put("status_code", null).put("retryable", true);
  }
}
