package io.pioreactor.leader.api;

import io.pioreactor.leader.cluster.LiveUnits;
import io.pioreactor.leader.config.LeaderConfig;
import io.pioreactor.protocol.host.ProcParsers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.BooleanSupplier;

/**
 * Upstream's {@code /unit_api/system/*} read routes, as its Leader page asks them of the leader, in upstream's shapes
 * (unit_api.py): {@code ipv4}, {@code memory}, {@code utc_clock}, {@code web_server/status}, the read-only file browser
 * {@code path/} of the leader's data directory, and {@code /unit_api/long_running_jobs/running}. ({@code disk_space} is
 * in {@link UpstreamRoutes}.) Files and interfaces are read off the event loop.
 */
final class LeaderSystemRoutes {
  /** Upstream's {@code current_utc_timestamp()}: milliseconds, {@code Z}. */
  private static final DateTimeFormatter UPSTREAM_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);
  private final Vertx vertx;
  private final LeaderConfig config;
  private final LiveUnits live;
  private final BooleanSupplier mqttConnected;
  private final DataDirBrowser browser;

  LeaderSystemRoutes(Vertx vertx, LeaderConfig config, LiveUnits live, BooleanSupplier mqttConnected) {
    this.vertx = vertx;
    this.config = config;
    this.live = live;
    this.mqttConnected = mqttConnected;
    this.browser = new DataDirBrowser(vertx, config.databasePath().getParent());
  }

  /** When this process started: read from /proc once (the routes answer from the event loop). */
  private static final Instant DAEMON_START = ProcessHandle.current().info().startInstant().orElse(Instant.EPOCH);

  /** Mounted before {@code /unit_api}'s catch-all. */
  void mount(Router r) {
    r.get("/unit_api/system/ipv4").handler(ctx -> HttpApi.json(ctx, 200, vertx.executeBlocking(this::ipv4, false)
        .map(ip -> new JsonObject().put("ipv4_address", ip))));
    r.get("/unit_api/system/memory").handler(ctx -> HttpApi.json(ctx, 200, vertx.executeBlocking(() ->
        ProcParsers.memory(Files.readString(Path.of("/proc/meminfo"))).orElseThrow(() -> new ApiException(503,
            "this machine's memory figures are not available", null,
            "/proc/meminfo has no MemTotal or MemAvailable", "the leader reads Linux's /proc/meminfo")), false)
        .map(m -> new JsonObject().put("available_bytes", m[1]).put("total_bytes", m[0]))));
    r.get("/unit_api/system/utc_clock").handler(ctx -> HttpApi.json(ctx, 200, Future.succeededFuture(
        new JsonObject().put("status", "success").put("clock_time", UPSTREAM_TIME.format(Instant.now())))));
    // Answering at all says the web server is up: the leader daemon serves the page and the API itself.
    r.get("/unit_api/system/web_server/status").handler(ctx -> HttpApi.json(ctx, 200, Future.succeededFuture(
        new JsonObject().put("service", "pioreactor-leader.service").put("state", "ready")
            .put("raw_status", "pioreactor-leader.service=active"))));
    r.get("/unit_api/system/path/").handler(ctx -> browser.answer(ctx, ""));
    r.get("/unit_api/system/path/*").handler(ctx -> browser.answer(ctx, ctx.pathParam("*")));
    r.get("/unit_api/long_running_jobs/running").handler(ctx -> HttpApi.json(ctx, 200,
        Future.succeededFuture(longRunningJobs())));
  }

  /**
   * The leader's long-running jobs as upstream's pio_job_metadata rows: {@code monitor} when the leader unit's monitor
   * is ready (its worker daemon; a leader-only leader's daemon watches the cluster itself), and
   * {@code mqtt_to_db_streaming} while the leader's session stores what units publish.
   */
  private JsonArray longRunningJobs() {
    JsonArray out = new JsonArray();
    String unit = config.unit();
    boolean monitor = !config.leaderIsWorker()
        || live.get(unit).map(s -> "ready".equals(s.state())).orElse(false);
    Instant since = live.get(unit).map(s -> {
      JsonObject o = new JsonObject();
      s.writeTo(o);
      return o.getString("ready_since");
    }).map(Instant::parse).orElse(DAEMON_START);
    if (monitor) {
      out.add(row(1, "monitor", since));
    }
    if (mqttConnected.getAsBoolean()) {
      out.add(row(2, "mqtt_to_db_streaming", DAEMON_START));
    }
    return out;
  }

  private JsonObject row(long id, String job, Instant since) {
    return new JsonObject().put("job_id", id).put("unit", config.unit()).put("experiment", "$experiment")
        .put("job_name", job).put("job_source", "system").put("started_at", UPSTREAM_TIME.format(since))
        .put("is_running", 1).put("leader", config.unit()).put("pid", ProcessHandle.current().pid())
        .put("is_long_running_job", 1).put("ended_at", null);
  }

  /** The configured discovery address, else the first non-loopback IPv4 of an interface that is up (upstream's get_ip). */
  private String ipv4() throws java.net.SocketException {
    if (config.mdnsAddress() != null) {
      return config.mdnsAddress();
    }
    for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
        for (var a : java.util.Collections.list(nic.getInetAddresses())) {
          if (a instanceof java.net.Inet4Address) {
            return a.getHostAddress();
          }
        }
      }
    }
    return null;
  }
}
