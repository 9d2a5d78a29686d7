package io.pioreactor.leader.api;

import io.pioreactor.leader.inventory.InventoryService;
import io.pioreactor.leader.limits.Throttled;
import io.pioreactor.leader.logs.LogQuery;
import io.pioreactor.leader.logs.LogStore;
import io.pioreactor.protocol.LogMessage;
import io.pioreactor.protocol.Names;
import io.pioreactor.protocol.Topics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code GET /api/logs}: the stored log lines, filtered (unit, experiment, min_level), paged (before_id, skip) and
 * followed (after_id). Upstream's route with its parameters ({@code skip}, {@code min_level}), and ours beside them
 * (docs/api.md); {@code pio logs} is its client. Also upstream's per-unit views, in its row shape. (The experiment
 * views are with the experiment's other data, in {@link ExperimentDataRoutes}.)
 */
final class LogRoutes {
  /** How far {@code skip} may page: further back, {@code before_id} is the way (it does not scan what it skips). */
  static final int MAX_SKIP = 100_000;
  /** A line posted from a page: what a person types, not a dump (the stored line is cut shorter still, if so set). */
  static final int MAX_POSTED_CHARS = 4_096;
  private static final java.util.Set<String> POST_FIELDS = java.util.Set.of("message", "source", "level", "timestamp", "task", "source_");

  /** Publishes a log line as the leader, at QoS 1: completes when the broker has it. */
  interface LinePublisher {
    Future<?> publish(String topic, io.vertx.core.buffer.Buffer payload);
  }

  private final LogStore logs;
  private final LinePublisher publisher;
  private final InventoryService inventory;

  LogRoutes(LogStore logs, LinePublisher publisher, InventoryService inventory) {
    this.logs = logs;
    this.publisher = publisher;
    this.inventory = inventory;
  }

  void mount(Router r) {
    r.get("/api/logs").handler(this::search);
    // Upstream's System logs page (a unit's lines outside any experiment) and a unit's lines in every experiment.
    r.get("/api/units/:unit/system_logs").handler(ctx -> ofUnit(ctx, Topics.UNIT_LEVEL));
    r.get("/api/units/:unit/logs").handler(ctx -> ofUnit(ctx, null));
    // Upstream's "Record an event log" (its Logs page): a line into an experiment's log, as the unit's own would be.
    r.post("/api/workers/:unit/experiments/:experiment/logs").handler(this::post);
    r.post("/api/units/:unit/experiments/:experiment/logs").handler(this::post);
  }

  private void post(RoutingContext ctx) {
    String unit = ctx.pathParam("unit");
    String experiment = ctx.pathParam("experiment");
    if (!unit.equals(Topics.BROADCAST) && Names.unitNameProblem(unit).isPresent()) {
      throw ApiException.badRequest("invalid unit name: " + Names.unitNameProblem(unit).get());
    }
    Names.experimentNameProblem(experiment).ifPresent(p -> {
      throw ApiException.badRequest("invalid experiment name: " + p);
    });
    JsonObject b = Bodies.object(ctx);
    for (String k : b.fieldNames()) {
      if (!POST_FIELDS.contains(k)) {
        throw ApiException.badRequest("unknown field '" + Throttled.printable(k, 64) + "'; a line has " + POST_FIELDS);
      }
    }
    String message = Bodies.string(b, "message", true);
    if (message.isBlank() || message.length() > MAX_POSTED_CHARS) {
      throw ApiException.badRequest("'message' must have 1 to " + MAX_POSTED_CHARS + " characters");
    }
    String level = Bodies.string(b, "level", true).toUpperCase(java.util.Locale.ROOT);
    if (!LogMessage.LEVELS.contains(level)) {
      throw ApiException.badRequest("'level' must be one of " + LogMessage.LEVELS);
    }
    String source = short64(b, "source", true);
    String timestamp = short64(b, "timestamp", true);
    String task = short64(b, "task", false);
    String topicSource = b.containsKey("source_") ? short64(b, "source_", true) : "ui";
    if (!topicSource.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw ApiException.badRequest("'source_' is one topic level: letters, digits, '_', '.', '-'");
    }
    io.vertx.core.buffer.Buffer payload = new LogMessage(message, task == null ? "" : task, source, level, timestamp).toBuffer();
    String topicLevel = level.toLowerCase(java.util.Locale.ROOT);
    Future<List<String>> units = unit.equals(Topics.BROADCAST)
        ? inventory.ofExperiment(experiment).map(a -> a.stream().map(o -> ((JsonObject) o).getString("pioreactor_unit")).toList())
        : Future.succeededFuture(List.of(unit));
    HttpApi.json(ctx, 202, units.compose(us -> Future.all(us.stream()
            .map(u -> publisher.publish(Topics.log(u, experiment, topicSource, topicLevel), payload)).toList())
        .recover(err -> Future.failedFuture(new ApiException(503, "the leader could not publish the line: " + err.getMessage(),
            "publish", null, "check GET /api/health (mqtt_connected) and try again"))))
        .map(v -> new JsonObject().put("status", "accepted")));
  }

  private static String short64(JsonObject b, String key, boolean required) {
    String v = Bodies.string(b, key, required);
    if (v != null && v.length() > 64) {
      throw ApiException.badRequest("'" + key + "' has at most 64 characters");
    }
    return v;
  }

  /** Upstream's rows of {@code unit} (and of {@code $broadcast}), in {@code experiment} or (null) in any. */
  private void ofUnit(RoutingContext ctx, String experiment) {
    String unit = ctx.pathParam("unit");
    if (!unit.equals(Topics.BROADCAST) && Names.unitNameProblem(unit).isPresent()) {
      throw ApiException.badRequest("invalid unit name: " + Names.unitNameProblem(unit).get());
    }
    long skip = QueryParams.whole(ctx, "skip", 0);
    if (skip > MAX_SKIP) {
      throw ApiException.badRequest("'skip' goes up to " + MAX_SKIP);
    }
    HttpApi.json(ctx, 200, logs.upstreamView(experiment, unit, ctx.queryParams().get("min_level"), (int) skip, 100, false));
  }

  private void search(RoutingContext ctx) {
    HttpApi.json(ctx, 200, logs.search(query(ctx)));
  }

  static LogQuery query(RoutingContext ctx) {
    String unit = ctx.queryParams().get("unit");
    if (unit != null && !unit.equals(Topics.BROADCAST) && Names.unitNameProblem(unit).isPresent()) {
      throw ApiException.badRequest("invalid 'unit': " + Names.unitNameProblem(unit).get());
    }
    String experiment = ctx.queryParams().get("experiment");
    if (experiment != null && !experiment.equals(Topics.UNIT_LEVEL) && Names.experimentNameProblem(experiment).isPresent()) {
      throw ApiException.badRequest("invalid 'experiment': " + Names.experimentNameProblem(experiment).get());
    }
    String minLevel = ctx.queryParams().get("min_level");
    List<String> levels = minLevel == null ? null : LogMessage.levelsFrom(minLevel).orElseThrow(() ->
        ApiException.badRequest("'min_level' must be one of " + LogMessage.LEVELS));
    Long before = QueryParams.optionalWhole(ctx, "before_id");
    Long after = QueryParams.optionalWhole(ctx, "after_id");
    if (before != null && after != null) {
      throw ApiException.badRequest("give 'before_id' (older lines) or 'after_id' (newer lines), not both");
    }
    long skip = QueryParams.whole(ctx, "skip", 0);
    if (skip > MAX_SKIP) {
      throw ApiException.badRequest("'skip' goes up to " + MAX_SKIP + ": page further back with 'before_id'");
    }
    return new LogQuery(unit, experiment, levels, before, after, (int) skip, HttpApi.limit(ctx));
  }
}
