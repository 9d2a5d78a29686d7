package io.pioreactor.leader.api;

import io.pioreactor.leader.experiments.UnitLabels;
import io.pioreactor.leader.logs.LogStore;
import io.pioreactor.leader.profiles.ProfileService;
import io.pioreactor.leader.telemetry.ExperimentExport;
import io.pioreactor.leader.telemetry.ReadingTable;
import io.pioreactor.leader.telemetry.TimeSeries;
import io.pioreactor.protocol.Names;
import io.pioreactor.protocol.Topics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.List;

/**
 * An experiment's data, in upstream's paths and shapes (docs/api.md): readings as time series, logs, unit labels,
 * which units took part, profile runs; and the CSV export of its readings (ours).
 */
final class ExperimentDataRoutes {
  private final TimeSeries series;
  private final ExperimentExport export;
  private final UnitLabels labels;
  private final LogStore logs;
  private final ProfileService profiles;
  private final io.pioreactor.leader.experiments.ExperimentService experiments;

  ExperimentDataRoutes(TimeSeries series, ExperimentExport export, UnitLabels labels, LogStore logs, ProfileService profiles,
                       io.pioreactor.leader.experiments.ExperimentService experiments) {
    this.experiments = experiments;
    this.series = series;
    this.export = export;
    this.labels = labels;
    this.logs = logs;
    this.profiles = profiles;
  }

  /** Long reads answered at once; more wait for none of them: 429, try again in a second (the page does). */
  static final int MAX_LONG_READS = 8;
  private int longReads;

  /** Runs a long read (time series, export) if fewer than MAX_LONG_READS are under way, else 429. */
  private <T> Future<T> longRead(RoutingContext ctx, java.util.function.Supplier<Future<T>> read) {
    if (longReads >= MAX_LONG_READS) {
      ctx.response().putHeader("Retry-After", "1");
      return Future.failedFuture(new ApiException(429, "the leader is answering " + MAX_LONG_READS + " long reads already", null,
          "time series and exports are read a few at a time, so storing readings never waits for them", "try again in a second"));
    }
    longReads++;
    return read.get().onComplete(ar -> longReads--);
  }

  void mount(Router r) {
    for (String prefix : List.of("/api/experiments/:experiment", "/api/workers/:unit/experiments/:experiment")) {
      r.get(prefix + "/time_series/:table").handler(ctx -> timeSeries(ctx, false));
      r.get(prefix + "/time_series/:table/:column").handler(ctx -> timeSeries(ctx, true));
      r.get(prefix + "/logs").handler(ctx -> experimentLogs(ctx, false));
      r.get(prefix + "/recent_logs").handler(ctx -> experimentLogs(ctx, true));
    }
    r.get("/api/experiments/:experiment/export").handler(this::exportCsv);
    // Upstream: "current" is the latest experiment.
    r.get("/api/experiments/:experiment/unit_labels").handler(ctx -> HttpApi.json(ctx, 200, "current".equals(experiment(ctx))
        ? experiments.latest().compose(e -> e.isEmpty() ? Future.succeededFuture(new JsonObject())
            : labels.of(e.get().getString("experiment")))
        : labels.of(experiment(ctx))));
    r.put("/api/experiments/:experiment/unit_labels").handler(this::setLabel);
    r.patch("/api/experiments/:experiment/unit_labels").handler(this::setLabel);
    r.get("/api/experiments/:experiment/historical_worker_assignments").handler(ctx ->
        HttpApi.json(ctx, 200, labels.historicalAssignments(experiment(ctx))));
    r.get("/api/experiments/:experiment/experiment_profiles/recent").handler(ctx ->
        HttpApi.json(ctx, 200, checked(ctx).compose(v -> profiles.recentRuns(experiment(ctx)))));
    r.get("/api/experiments/:experiment/experiment_profiles/running").handler(ctx ->
        HttpApi.json(ctx, 200, checked(ctx).map(v -> profiles.runningAsJobs(experiment(ctx)))));
  }

  private void timeSeries(RoutingContext ctx, boolean withColumn) {
    String name = ctx.pathParam("table");
    ReadingTable table = ReadingTable.named(name).orElseThrow(() -> new ApiException(404, "no time series '" + printable(name) + "'",
        null, "the leader stores " + tableNames(), "ask for one of those, e.g. …/time_series/od_readings"));
    String column = null;
    if (withColumn) {
      column = ctx.pathParam("column");
      if (!column.equals(table.valueColumn())) {
        throw new ApiException(404, "no column '" + printable(column) + "' in " + table.table(), null,
            "its values are in '" + table.valueColumn() + "'", "ask for …/time_series/" + table.table() + "/" + table.valueColumn());
      }
    }
    String unit = ctx.pathParam("unit");
    if (unit != null && Names.unitNameProblem(unit).isPresent()) {
      throw ApiException.badRequest("invalid unit name: " + Names.unitNameProblem(unit).get());
    }
    TimeSeries.Query q = new TimeSeries.Query(number(ctx, "lookback", 4.0), (int) Math.min(QueryParams.whole(ctx, "target_points", 720), Integer.MAX_VALUE),
        ctx.queryParams().get("filter_mod_N") == null ? null : (int) QueryParams.whole(ctx, "filter_mod_N", 1));
    String col = column;
    HttpApi.json(ctx, 200, checked(ctx).compose(v -> longRead(ctx, () -> series.read(table, col, experiment(ctx), unit, q))));
  }

  private void experimentLogs(RoutingContext ctx, boolean recent) {
    String unit = ctx.pathParam("unit");
    if (unit != null && Names.unitNameProblem(unit).isPresent()) {
      throw ApiException.badRequest("invalid unit name: " + Names.unitNameProblem(unit).get());
    }
    int skip = (int) QueryParams.whole(ctx, "skip", 0);
    // "$experiment" is no experiment of the table but the units' own lines (upstream's System logs page asks for it).
    Future<Void> known = Topics.UNIT_LEVEL.equals(experiment(ctx)) ? Future.succeededFuture() : checked(ctx);
    HttpApi.json(ctx, 200, known.compose(v ->
        logs.upstreamView(experiment(ctx), unit, ctx.queryParams().get("min_level"), skip, recent ? 50 : 100, recent)));
  }

  private void setLabel(RoutingContext ctx) {
    JsonObject b = Bodies.object(ctx);
    HttpApi.json(ctx, 201, labels.set(experiment(ctx), Bodies.string(b, "unit", true), Bodies.string(b, "label", true))
        .map(v -> new JsonObject().put("status", "success")));
  }

  /** {@code ?dataset=od_readings} (repeatable; default: every table) as CSV, streamed. */
  private void exportCsv(RoutingContext ctx) {
    List<String> asked = ctx.queryParam("dataset");
    List<ReadingTable> tables = asked.isEmpty() ? Arrays.asList(ReadingTable.values()) : asked.stream()
        .map(n -> ReadingTable.named(n).orElseThrow(() -> new ApiException(400, "no dataset '" + printable(n) + "'", null,
            "the leader stores " + tableNames(), "ask for ?dataset=od_readings, or none for all")))
        .distinct().toList();
    String experiment = experiment(ctx);
    String file = experiment.replaceAll("[^A-Za-z0-9_.-]", "_") + (tables.size() == 1 ? "-" + tables.get(0).table() : "") + ".csv";
    checked(ctx).compose(v -> longRead(ctx, () -> {
      ctx.response().setChunked(true).putHeader("content-type", "text/csv; charset=utf-8")
          .putHeader("content-disposition", "attachment; filename=\"" + file + "\"");
      return export.write(experiment, tables, ctx.response());
    })).onFailure(err -> {
      if (!ctx.response().headWritten()) {
        ctx.fail(err);
      } else if (!ctx.response().closed()) {
        // The CSV had begun: a failure can only cut it short (the client sees no final line break).
        ctx.response().reset();
      }
    });
  }

  /** The experiment named in the path is a valid name of one that exists (404 otherwise). */
  private Future<Void> checked(RoutingContext ctx) {
    return labels.requireExperiment(experiment(ctx));
  }

  private static String tableNames() {
    return String.join(", ", Arrays.stream(ReadingTable.values()).map(ReadingTable::table).toList());
  }

  private static String experiment(RoutingContext ctx) {
    return ctx.pathParam("experiment");
  }

  private static double number(RoutingContext ctx, String name, double dflt) {
    String v = ctx.queryParams().get(name);
    if (v == null) {
      return dflt;
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("'" + name + "' must be a number");
    }
  }

  private static String printable(String s) {
    return io.pioreactor.leader.limits.Throttled.printable(s, 64);
  }
}
