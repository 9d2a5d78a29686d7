package io.pioreactor.leader.api;

import io.pioreactor.leader.logs.LogQuery;
import io.pioreactor.leader.logs.LogStore;
import io.pioreactor.protocol.LogMessage;
import io.pioreactor.protocol.Names;
import io.pioreactor.protocol.Topics;
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

  private final LogStore logs;

  LogRoutes(LogStore logs) {
    this.logs = logs;
  }

  void mount(Router r) {
    r.get("/api/logs").handler(this::search);
    // Upstream's System logs page (a unit's lines outside any experiment) and a unit's lines in every experiment.
    r.get("/api/units/:unit/system_logs").handler(ctx -> ofUnit(ctx, Topics.UNIT_LEVEL));
    r.get("/api/units/:unit/logs").handler(ctx -> ofUnit(ctx, null));
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
