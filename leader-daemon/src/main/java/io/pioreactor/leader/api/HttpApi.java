package io.pioreactor.leader.api;

import io.pioreactor.leader.cluster.LiveUnits;
import io.pioreactor.leader.config.LeaderConfig;
import io.pioreactor.leader.discovery.MdnsDirectory;
import io.pioreactor.leader.experiments.ExperimentService;
import io.pioreactor.leader.inventory.AddWorkerFlow;
import io.pioreactor.leader.inventory.InventoryService;
import io.pioreactor.leader.jobs.ActivityHistory;
import io.pioreactor.leader.jobs.JobService;
import io.pioreactor.leader.logs.LogStore;
import io.pioreactor.leader.profiles.ProfileService;
import io.pioreactor.leader.system.RebootService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The leader's REST API. The route list in {@link #router()} is the table of contents (docs/api.md);
 * each handler is a line or two that calls a service and answers; failures go to {@link FailureHandler}.
 */
public final class HttpApi {
  static final long BODY_LIMIT = 64 * 1024;
  /** The most rows a list endpoint answers at once (each row is bounded too: a log line at 4 KB). */
  static final int MAX_LIMIT = 1_000;

  private final Vertx vertx;
  private final LeaderConfig config;
  private final InventoryService inventory;
  private final ExperimentService experiments;
  private final RebootService reboots;
  private final LogStore logs;
  private final LiveUnits live;
  private final JobService jobs;
  private final ActivityHistory history;
  private final ProfileService profiles;
  private final io.pioreactor.leader.inventory.RenameFlow rename;
  private io.pioreactor.leader.system.LeaderState leaderState;
  private Runnable restartLeader = () -> {};

  /** Export/import of the leader's state, and how the leader restarts to swap an import in. */
  /** The backups the leader knows of, for {@code GET /api/health}. */
  public HttpApi backups(io.pioreactor.leader.database.BackupWatch watch) {
    this.backups = watch;
    return this;
  }

  private io.pioreactor.leader.database.BackupWatch backups;
  private java.util.function.Supplier<java.util.List<JsonObject>> leaderWarnings = java.util.List::of;

  /** The leader's own health warnings (its backup's, say), for {@code GET /api/health}: a leader-only leader has no card. */
  public HttpApi leaderWarnings(java.util.function.Supplier<java.util.List<JsonObject>> warnings) {
    this.leaderWarnings = warnings;
    return this;
  }

  public HttpApi leaderState(io.pioreactor.leader.system.LeaderState state, Runnable restart) {
    this.leaderState = state;
    this.restartLeader = restart;
    return this;
  }
  private ExperimentDataRoutes experimentData;
  private ConfigRoutes configRoutes;
  private LogRoutes.LinePublisher logLines = (topic, payload) ->
      io.vertx.core.Future.failedFuture("the leader has no MQTT connection to publish with");

  /** How log lines posted to the API reach the broker (the leader's session, QoS 1). */
  public HttpApi logLines(io.pioreactor.protocol.mqtt.MqttConnection mqtt) {
    this.logLines = (topic, payload) -> mqtt.publish(topic, payload, 1, false);
    return this;
  }

  /** The cluster configuration's routes (docs/api.md). */
  public HttpApi clusterConfig(io.pioreactor.leader.clusterconfig.ClusterConfigService configs,
                               io.pioreactor.leader.clusterconfig.ConfigDeliveries deliveries) {
    this.configRoutes = new ConfigRoutes(configs, deliveries, inventory, config.unit());
    return this;
  }

  private ClockRoutes clockRoutes;

  /** Units' clocks: offsets, Sync clocks, upstream's utc_clock routes (ClockRoutes). */
  public HttpApi clocks(io.pioreactor.leader.clocks.ClockService clocks) {
    this.clockRoutes = new ClockRoutes(clocks, inventory, config.unit());
    return this;
  }

  /** Readings, labels and the rest of an experiment's data (ExperimentDataRoutes). */
  public HttpApi experimentData(io.pioreactor.leader.telemetry.TimeSeries series, io.pioreactor.leader.telemetry.ExperimentExport export,
                                io.pioreactor.leader.experiments.UnitLabels labels) {
    this.experimentData = new ExperimentDataRoutes(series, export, labels, logs, profiles, experiments);
    return this;
  }
  private final java.util.function.Supplier<java.util.Map<String, MdnsDirectory.Seen>> mdnsSeen;
  private final BooleanSupplier mqttConnected;
  private final int brokerPort;
  private final int brokerWsPort;
  private EventStream events;
  private HttpServer server;

  public HttpApi(Vertx vertx, LeaderConfig config, InventoryService inventory, ExperimentService experiments,
                 RebootService reboots, LogStore logs, LiveUnits live, JobService jobs, ActivityHistory history,
                 ProfileService profiles, io.pioreactor.leader.inventory.RenameFlow rename,
                 java.util.function.Supplier<java.util.Map<String, MdnsDirectory.Seen>> mdnsSeen,
                 BooleanSupplier mqttConnected,
                 int brokerPort, int brokerWsPort) {
    this.vertx = vertx;
    this.config = config;
    this.inventory = inventory;
    this.experiments = experiments;
    this.reboots = reboots;
    this.logs = logs;
    this.live = live;
    this.jobs = jobs;
    this.history = history;
    this.profiles = profiles;
    this.rename = rename;
    this.mdnsSeen = mdnsSeen;
    this.mqttConnected = mqttConnected;
    this.brokerPort = brokerPort;
    this.brokerWsPort = brokerWsPort;
  }

  public Future<HttpServer> listen() {
    events = new EventStream(vertx);
    return vertx.createHttpServer().requestHandler(router()).listen(config.httpPort(), config.httpHost())
        .onSuccess(s -> server = s);
  }

  public int actualPort() {
    return server.actualPort();
  }

  public Future<Void> close() {
    if (events != null) {
      events.close();
    }
    return server == null ? Future.succeededFuture() : server.close();
  }

  Router router() {
    Router r = Router.router(vertx);
    r.route().handler(new PathGuard());
    r.route().handler(new SameOriginWrites());
    AuthHandler auth = AuthHandler.fromConfig(config.httpAuth());
    if (auth != null) {
      r.route().handler(auth);
    }
    // A leader snapshot is bigger than any JSON body: streamed to disk with its own limit, before the body handler.
    r.post("/api/leader/import").handler(ctx -> new SnapshotUpload(vertx, leaderState, config.maxImportBytes())
        .receive(ctx).map(n -> {
          // Answer first, then restart: the database is swapped while nothing uses it.
          vertx.setTimer(500, t -> restartLeader.run());
          return new JsonObject().put("status", "accepted").put("workers", n)
              .put("message", "the leader restarts with the imported state in a moment; the replaced database is kept beside it");
        }).onSuccess(o -> ctx.response().setStatusCode(202).putHeader("content-type", "application/json").end(o.encode()))
        .onFailure(err -> {
          if (err instanceof ApiException a && (a.status() == 413 || a.status() == 507)
              && ctx.request().version() != io.vertx.core.http.HttpVersion.HTTP_2) {
            // HTTP/1: the rest of the body is not read, so the connection goes once the answer is out (HTTP/2 ends
            // just the stream).
            ctx.response().putHeader("Connection", "close").endHandler(v -> ctx.request().connection().close());
          }
          ctx.fail(err);
        }));
    r.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    r.route("/unit_api/*").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    r.get("/api/session").handler(ctx -> ctx.json(new JsonObject().put("auth_required", auth != null)
        .put("signed_in", auth == null || auth.signedIn(ctx))));
    r.post("/api/session").handler(ctx -> signIn(ctx, auth));
    r.delete("/api/session").handler(ctx -> {
      var cookie = ctx.request().getCookie(AuthHandler.COOKIE);
      if (auth != null && cookie != null) {
        auth.sessions().close(cookie.getValue());
      }
      ctx.response().addCookie(io.vertx.core.http.Cookie.cookie(AuthHandler.COOKIE, "").setPath("/").setMaxAge(0));
      ctx.json(new JsonObject().put("status", "success"));
    });
    r.get("/api/health").handler(this::health);
    r.get("/api/leader/export").handler(this::exportState);
    r.get("/api/events").handler(ctx -> events.open(ctx));
    r.get("/api/workers").handler(ctx -> json(ctx, 200, inventory.list()));
    r.put("/api/workers").handler(this::insertWorker);
    r.post("/api/workers/setup").handler(this::addWorker);
    var upstream = new UpstreamRoutes(vertx, config, inventory, experiments, reboots, live, brokerPort, brokerWsPort);
    new AssignmentRoutes(inventory, upstream.tasks(), logLines, config.unit()).mount(r);
    r.get("/api/workers/discover").handler(this::discover);
    r.get("/api/workers/:unit").handler(ctx -> json(ctx, 200, inventory.get(unit(ctx))));
    // 202 as upstream answers it: the row is gone; the worker hears it through its retained membership.
    r.delete("/api/workers/:unit").handler(ctx ->
        json(ctx, 202, inventory.remove(unit(ctx)).map(v -> new JsonObject().put("status", "success"))));
    r.put("/api/workers/:unit/is_active").handler(this::setActive);
    r.post("/api/workers/:unit/rename").handler(ctx ->
        json(ctx, 200, rename.run(unit(ctx), Bodies.string(Bodies.object(ctx), "new_name", true))));
    r.post("/api/workers/:unit/blink").handler(ctx ->
        json(ctx, 202, inventory.blink(unit(ctx)).map(v -> new JsonObject().put("status", "accepted"))));
    r.get("/api/workers/:unit/experiment").handler(this::experimentOfWorker);
    r.get("/api/experiments").handler(ctx -> json(ctx, 200, experiments.list()));
    r.post("/api/experiments").handler(this::createExperiment);
    r.get("/api/experiments/:experiment/workers").handler(ctx -> json(ctx, 200, inventory.ofExperiment(experiment(ctx))));
    r.put("/api/experiments/:experiment/workers").handler(this::assign);
    r.delete("/api/experiments/:experiment/workers").handler(ctx -> success(ctx, inventory.unassignAll(experiment(ctx))));
    r.delete("/api/experiments/:experiment/workers/:unit").handler(ctx ->
        success(ctx, inventory.unassign(unit(ctx), experiment(ctx))));
    r.get("/api/units").handler(this::units);
    // Upstream accepts POST and PATCH (its web app sends PATCH), under /api/workers/… and /api/units/… alike.
    for (String prefix : List.of("/api/workers", "/api/units")) {
      for (HttpMethod method : List.of(HttpMethod.POST, HttpMethod.PATCH)) {
        r.route(method, prefix + "/:unit/jobs/run/job_name/:job/experiments/:experiment").handler(this::runJob);
        r.route(method, prefix + "/:unit/jobs/stop/job_name/:job/experiments/:experiment").handler(ctx ->
            json(ctx, 200, jobs.stop(unit(ctx), ctx.pathParam("job"), experiment(ctx))));
        r.route(method, prefix + "/:unit/jobs/stop/experiments/:experiment").handler(ctx ->
            json(ctx, 200, jobs.stop(unit(ctx), null, experiment(ctx))));
      }
      r.patch(prefix + "/:unit/jobs/update/job_name/:job/experiments/:experiment").handler(this::updateJob);
    }
    r.post("/api/workers/:unit/jobs/stop").handler(ctx -> {
      JsonObject b = ctx.body().isEmpty() ? new JsonObject() : Bodies.object(ctx);
      json(ctx, 200, jobs.stop(unit(ctx), Bodies.string(b, "job", false), Bodies.string(b, "experiment", false),
          Bodies.string(b, "job_source", false)));
    });
    // Ours: what the leader hears running, at once. Upstream's /jobs/running (a task) is in UpstreamRoutes.
    r.get("/api/units/:unit/activities").handler(ctx -> json(ctx, 200, jobs.running(unit(ctx))));
    r.get("/api/profiles").handler(ctx -> json(ctx, 200, profiles.list()));
    r.post("/api/profiles").handler(ctx -> json(ctx, 201, profiles.upload(Bodies.string(Bodies.object(ctx), "content", true))));
    r.post("/api/experiments/:experiment/profiles/run").handler(ctx -> {
      JsonObject b = Bodies.object(ctx);
      boolean dry = Boolean.TRUE.equals(b.getValue("dry_run"));
      if (b.getValue("dry_run") != null && !(b.getValue("dry_run") instanceof Boolean)) {
        throw ApiException.badRequest("'dry_run' must be true or false");
      }
      json(ctx, dry ? 200 : 202, profiles.start(experiment(ctx), Bodies.string(b, "experiment_profile_name", false),
          Bodies.string(b, "content", false), dry));
    });
    r.post("/api/experiments/:experiment/profiles/stop").handler(ctx -> json(ctx, 200, profiles.stop(experiment(ctx))));
    r.get("/api/experiments/:experiment/profiles/running").handler(ctx -> json(ctx, 200, profiles.progress(experiment(ctx))));
    r.get("/api/units/:unit/jobs/history").handler(ctx -> json(ctx, 200, history.recent(unit(ctx), limit(ctx))));
    new LogRoutes(logs, logLines, inventory).mount(r);
    if (experimentData != null) {
      experimentData.mount(r);
    }
    if (configRoutes != null) {
      configRoutes.mount(r);
    }
    if (clockRoutes != null) {
      clockRoutes.mount(r); // before UpstreamRoutes: its task ids first
    }
    new LeaderSystemRoutes(vertx, config, live, mqttConnected).mount(r);
    upstream.mount(r);
    r.route("/api/*").handler(HttpApi::noSuchEndpoint);
    // Chart library (uPlot) from its webjar, then the page's own files from the jar, last.
    r.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars").setCachingEnabled(true));
    r.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false).setIndexPage("index.html"));
    r.route().failureHandler(new FailureHandler(config.databasePath()));
    return r;
  }

  private static void signIn(RoutingContext ctx, AuthHandler auth) {
    if (auth == null) {
      throw ApiException.badRequest("this leader has no sign-in: its API is open");
    }
    JsonObject b = Bodies.object(ctx);
    auth.checkSignIn(ctx, Bodies.string(b, "username", true), Bodies.string(b, "password", true));
    ctx.response().addCookie(io.vertx.core.http.Cookie.cookie(AuthHandler.COOKIE, auth.sessions().open()).setPath("/")
        .setHttpOnly(true).setSameSite(io.vertx.core.http.CookieSameSite.STRICT).setMaxAge(Sessions.TTL_MS / 1000));
    ctx.json(new JsonObject().put("status", "success"));
  }

  private void exportState(RoutingContext ctx) {
    leaderState.export().onSuccess(file -> ctx.response()
        .putHeader("content-type", "application/vnd.sqlite3")
        .putHeader("content-disposition", "attachment; filename=\"pioreactor-leader-" + config.unit() + ".sqlite\"")
        .sendFile(file.toString())
        .onComplete(ar -> vertx.fileSystem().delete(file.toString())))
        .onFailure(ctx::fail);
  }

  private void health(RoutingContext ctx) {
    ctx.json(new JsonObject()
        .put("status", "ok")
        .put("unit", config.unit())
        .put("broker", config.embeddedBroker() ? "embedded" : "external")
        .put("mqtt_connected", mqttConnected.getAsBoolean())
        .put("mqtt", new JsonObject()
            .put("host", config.embeddedBroker() ? config.broker().host() : config.mqtt().host())
            .put("port", config.embeddedBroker() ? brokerPort : config.mqtt().port())
            .put("ws_port", config.embeddedBroker() ? brokerWsPort : null))
        .put("backup", backups == null ? null : backups.json(java.time.Instant.now()))
        .put("warnings", new io.vertx.core.json.JsonArray(leaderWarnings.get())));
  }

  private void addWorker(RoutingContext ctx) {
    JsonObject b = Bodies.object(ctx);
    var req = new AddWorkerFlow.Request(Bodies.string(b, "name", true), Bodies.string(b, "ipv4_address", false),
        Bodies.string(b, "model", false), Bodies.string(b, "version", false));
    json(ctx, 200, inventory.add(req).map(w -> new JsonObject().put("status", "success").put("worker", w)));
  }

  private void insertWorker(RoutingContext ctx) {
    JsonObject b = Bodies.object(ctx);
    json(ctx, 201, inventory.insertDirect(Bodies.string(b, "pioreactor_unit", true),
        Bodies.string(b, "model_name", false), Bodies.string(b, "model_version", false)));
  }

  private void setActive(RoutingContext ctx) {
    boolean active = Bodies.zeroOrOne(Bodies.object(ctx), "is_active");
    success(ctx, inventory.setActive(unit(ctx), active));
  }

  private void experimentOfWorker(RoutingContext ctx) {
    String unit = unit(ctx);
    json(ctx, 200, inventory.find(unit).compose(row -> {
      if (row.isEmpty()) {
        return Future.failedFuture(ApiException.notFound(unit + " is not in the inventory"));
      }
      if (row.get().experiment() == null) {
        return Future.failedFuture(ApiException.notFound(unit + " is not assigned to an experiment"));
      }
      var w = row.get();
      return Future.succeededFuture(new JsonObject().put("pioreactor_unit", w.unit()).put("is_active", w.isActive() ? 1 : 0)
          .put("experiment", w.experiment()).put("model_name", w.modelName()).put("model_version", w.modelVersion()));
    }));
  }

  private void createExperiment(RoutingContext ctx) {
    JsonObject b = Bodies.object(ctx);
    json(ctx, 201, experiments.create(Bodies.string(b, "experiment", true), Bodies.string(b, "description", false)));
  }

  private void assign(RoutingContext ctx) {
    JsonObject b = Bodies.object(ctx);
    success(ctx, inventory.assign(Bodies.string(b, "pioreactor_unit", true), experiment(ctx)));
  }

  /** Workers not in the inventory: advertised by mDNS, connected to the broker, or both (sorted by name). */
  private void discover(RoutingContext ctx) {
    json(ctx, 200, inventory.rows().map(rows -> {
      var inInventory = new java.util.TreeSet<String>();
      rows.forEach(r -> inInventory.add(r.unit()));
      var found = new java.util.TreeMap<String, JsonObject>();
      mdnsSeen.get().forEach((u, seen) -> {
        if (!inInventory.contains(u)) {
          found.put(u, new JsonObject().put("pioreactor_unit", u).put("ipv4_address", seen.ipv4())
              .put("model_name", seen.modelName()).put("model_version", seen.modelVersion()).put("source", "mdns"));
        }
      });
      live.all().forEach((u, s) -> {
        if (!inInventory.contains(u) && "ready".equals(s.state())) {
          JsonObject o = found.computeIfAbsent(u, k -> new JsonObject().put("pioreactor_unit", u).put("ipv4_address", s.ipv4())
              .put("model_name", s.model() == null ? null : s.model().getString("model_name"))
              .put("model_version", s.model() == null ? null : s.model().getString("model_version")).put("source", "broker"));
          if ("mdns".equals(o.getString("source"))) {
            o.put("source", "mdns+broker");
          }
        }
      });
      return new JsonArray(new java.util.ArrayList<>(found.values()));
    }));
  }

  private void units(RoutingContext ctx) {
    json(ctx, 200, inventory.rows().map(rows -> {
      var inInventory = new java.util.TreeSet<String>();
      rows.forEach(r -> inInventory.add(r.unit()));
      var names = new java.util.TreeSet<>(inInventory);
      names.add(config.unit());
      names.addAll(live.all().keySet());
      JsonArray out = new JsonArray();
      for (String u : names) {
        out.add(new JsonObject().put("pioreactor_unit", u).put("is_leader", u.equals(config.unit()))
            .put("in_inventory", inInventory.contains(u))
            .put("state", live.get(u).map(s -> s.state()).orElse(null)));
      }
      return out;
    }));
  }

  private void runJob(RoutingContext ctx) {
    JsonObject b = ctx.body().isEmpty() ? new JsonObject() : Bodies.object(ctx);
    Object options = b.getValue("options", new JsonObject());
    Object args = b.getValue("args", new JsonArray());
    if (!(options instanceof JsonObject o)) {
      throw ApiException.badRequest("'options' must be an object of job settings, e.g. {\"target_rpm\": 400}");
    }
    if (!(args instanceof JsonArray a) || a.stream().anyMatch(x -> !(x instanceof String))) {
      throw ApiException.badRequest("'args' must be a list of strings");
    }
    List<String> argList = a.stream().map(String.class::cast).toList();
    String unit = unit(ctx);
    String job = ctx.pathParam("job");
    json(ctx, 200, io.pioreactor.protocol.Topics.BROADCAST.equals(unit)
        ? jobs.runBroadcast(job, experiment(ctx), o, argList)
        : jobs.run(unit, job, experiment(ctx), o, argList));
  }

  /** Upstream's {@code {"settings": {"target_rpm": 300}}}: each setting sent to the job, 202 once sent. */
  private void updateJob(RoutingContext ctx) {
    Object settings = Bodies.object(ctx).getValue("settings");
    if (!(settings instanceof JsonObject s)) {
      throw ApiException.badRequest("'settings' must be an object of settings and values, e.g. {\"settings\": {\"target_rpm\": 300}}");
    }
    json(ctx, 202, jobs.update(unit(ctx), ctx.pathParam("job"), experiment(ctx), s));
  }

  static int limit(RoutingContext ctx) {
    String limitText = ctx.queryParams().get("limit");
    int limit;
    try {
      limit = limitText == null ? 100 : Integer.parseInt(limitText);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("'limit' must be a whole number");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ApiException.badRequest("'limit' must be between 1 and " + MAX_LIMIT);
    }
    return limit;
  }

  private static String unit(RoutingContext ctx) {
    return ctx.pathParam("unit");
  }

  private static String experiment(RoutingContext ctx) {
    return ctx.pathParam("experiment");
  }

  private static void success(RoutingContext ctx, Future<?> action) {
    json(ctx, 200, action.map(v -> new JsonObject().put("status", "success")));
  }

  /** The catch-all of /api and /unit_api: a JSON 404 naming what was asked. */
  static void noSuchEndpoint(RoutingContext ctx) {
    ctx.fail(ApiException.notFound("no such endpoint: " + ctx.request().method() + " " + ctx.request().path()));
  }

  static void json(RoutingContext ctx, int status, Future<?> body) {
    body.onSuccess(v -> ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
            .end(v instanceof JsonArray a ? a.encode() : ((JsonObject) v).encode()))
        .onFailure(ctx::fail);
  }
}
