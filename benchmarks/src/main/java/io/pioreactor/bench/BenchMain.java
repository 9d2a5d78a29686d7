package io.pioreactor.bench;

import io.pioreactor.leader.broker.BrokerSettings;
import io.pioreactor.leader.broker.EmbeddedBroker;
import io.pioreactor.protocol.testing.FreePorts;
import io.pioreactor.protocol.testing.MosquittoBroker;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code scripts/bench [--full] [--out FILE] [--only PART,…]}: every figure is measured in this run, next to its floor
 * (the same measure on the bare reference), and printed as a table; the JSON goes to FILE.
 * The small run (the default, and what CI runs) only keeps the bench working; quote the full one.
 */
public final class BenchMain {
  /** The parts of the bench, in the order they run. */
  static final List<String> PARTS = List.of("mqtt", "cluster", "identify", "fanout", "scale", "footprint", "flood",
      "telemetry", "timeseries", "page", "config", "soak");

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    boolean full = List.of(args).contains("--full");
    Path out = Path.of("target/bench/bench.json");
    Path repo = Path.of(".");
    for (int i = 0; i < args.length - 1; i++) {
      if ("--out".equals(args[i])) {
        out = Path.of(args[i + 1]);
      } else if ("--repo".equals(args[i])) {
        repo = Path.of(args[i + 1]);
      }
    }
    // --only a,b: run just those parts (names as in PARTS), e.g. while working on one of them.
    List<String> only = PARTS;
    for (int i = 0; i < args.length - 1; i++) {
      if ("--only".equals(args[i])) {
        only = List.of(args[i + 1].split(","));
      }
    }
    int samples = full ? 2000 : 200;
    int starts = full ? 5 : 1;
    ResultTable table = new ResultTable();
    Vertx vertx = Vertx.vertx();
    try {
      if (only.contains("mqtt")) {
        roundTrips(vertx, table, samples);
      }
      if (only.contains("cluster")) {
        cluster(vertx, table, repo, full ? 4 : 2, full ? 30 : 3);
      }
      if (only.contains("identify")) {
        identify(vertx, table, repo, full ? 100 : 10, full ? 20 : 2);
      }
      if (only.contains("fanout")) {
        fanOut(vertx, table, repo, full ? 200 : 10, full ? 10 : 3);
      }
      if (only.contains("scale")) {
        scale(vertx, table, repo, full ? 1000 : 20, full ? 200 : 30, full ? 10 : 3);
      }
      if (only.contains("footprint")) {
        workerFootprint(vertx, table, repo, full ? 3 : 1);
        leaderLoad(vertx, table, repo, full ? 100 : 10);
      }
      if (only.contains("flood")) {
        flood(vertx, table, repo, full ? 50_000 : 10_000);
      }
      if (only.contains("telemetry")) {
        telemetry(vertx, table, repo, full ? 100 : 20, full ? 60 : 15, full ? 10 : 5);
      }
      if (only.contains("timeseries")) {
        timeSeries(table, repo, full ? 200 : 30);
      }
      if (only.contains("page")) {
        page(vertx, table, repo, 100, full ? 30 : 10);
      }
      if (only.contains("config")) {
        configuration(vertx, table, repo, 100, full ? 20 : 3);
      }
      if (only.contains("soak")) {
        // The full soak is 10 minutes of churn; the small one keeps the part working.
        soak(vertx, table, repo, full ? Duration.ofMinutes(10) : Duration.ofSeconds(40), Duration.ofSeconds(full ? 10 : 5),
            Duration.ofSeconds(full ? 30 : 5));
      }
    } finally {
      vertx.close().await();
    }
    if (only.contains("footprint")) {
      footprints(table, repo.resolve("leader-daemon/target/leader-daemon.jar"), starts);
      var share = BrokerJarShare.of(repo.resolve("leader-daemon/target/leader-daemon.jar"));
      table.add("leader jar size / broker's part", String.format("%.1f MB / %.1f MB", share.jarBytes() / 1e6,
          share.brokerBytes() / 1e6), null, String.format("%.0f%%", 100.0 * share.brokerBytes() / share.jarBytes()),
          new JsonObject().put("jar_bytes", share.jarBytes()).put("broker_bytes", share.brokerBytes()));
    }
    System.out.println();
    table.print();
    table.write(out, new JsonObject().put("mode", full ? "full" : "small").put("at", Instant.now().toString())
        .put("cores", Runtime.getRuntime().availableProcessors()).put("java", System.getProperty("java.version")));
    System.out.println("\nJSON: " + out.toAbsolutePath());
  }

  private static void roundTrips(Vertx vertx, ResultTable table, int samples) throws Exception {
    Path dir = Files.createTempDirectory("bench-broker");
    int port = FreePorts.next();
    var credentials = new io.pioreactor.protocol.testing.TestCredentials(dir.resolve("broker.passwd"));
    EmbeddedBroker embedded = new EmbeddedBroker(vertx, BrokerSettings.fromJson(new JsonObject()
        .put("host", "127.0.0.1").put("port", port).put("ws_port", FreePorts.next()).put("persistence", false)
        .put("password_file", credentials.file.toString()), dir));
    embedded.start().await();
    try (MosquittoBroker mosquitto = MosquittoBroker.start()) {
      for (int qos : new int[] {0, 1}) {
        Percentiles floor = MqttRoundTrip.measure(vertx, mosquitto.port(), qos, samples / 10, samples);
        // As the leader's broker user (an admin): the broker checks every publish, as installed.
        Percentiles ours = MqttRoundTrip.measure(vertx, embedded.port(), qos, samples / 10, samples,
            io.pioreactor.protocol.testing.TestCredentials.LEADER_USER,
            credentials.password(io.pioreactor.protocol.testing.TestCredentials.LEADER_USER));
        table.add("MQTT round trip QoS " + qos + ", mosquitto", ResultTable.fmt(floor), "(is the floor)", null,
            floor.toJson().put("broker", "mosquitto").put("qos", qos));
        table.add("MQTT round trip QoS " + qos + ", embedded Artemis", ResultTable.fmt(ours), ResultTable.fmt(floor),
            String.format("p50 ×%.2f, p99 ×%.2f", ours.p50Ms() / floor.p50Ms(), ours.p99Ms() / floor.p99Ms()),
            ours.toJson().put("broker", "embedded").put("qos", qos)
                .put("ratio_p50", ours.p50Ms() / floor.p50Ms()).put("ratio_p99", ours.p99Ms() / floor.p99Ms()));
      }
    } finally {
      embedded.stop().await();
    }
  }

  private static void flood(Vertx vertx, ResultTable table, Path repo, int n) throws Exception {
    FloodBench.Result r = FloodBench.measure(vertx, repo, n);
    String what = String.format("%,d publishes from one unit in %.0f s", r.sent(), r.seconds());
    table.add("flood (" + what + "): GET /api/health during", ResultTable.fmt(r.during()), ResultTable.fmt(r.before()) + " before",
        String.format("p99 ×%.1f", r.during().p99Ms() / r.before().p99Ms()), FloodBench.toJson(r).put("part", "during"));
    table.add("flood: GET /api/health after", ResultTable.fmt(r.after()), ResultTable.fmt(r.before()) + " before",
        String.format("p99 ×%.1f", r.after().p99Ms() / r.before().p99Ms()), new JsonObject().put("part", "after")
            .put("health_after", r.after().toJson()));
    table.add("flood: leader RSS before → after; what it kept", String.format("%s → %s; %d jobs, %d log rows, %d history rows; "
            + "the broker closed the unit %d times", mb(r.rssBeforeKb()), mb(r.rssAfterKb()), r.jobsKept(), r.logRows(),
        r.historyRows(), r.closes()), null, null, new JsonObject().put("part", "kept"));
    table.add("flood: its lines on the event stream (logs events)", String.format("%d events, at most %d lines each; %d lines sent, "
            + "%d left out (fetched by after_id)", r.live().events(), r.live().maxLines(), r.live().lines(), r.live().dropped()),
        null, null, new JsonObject().put("part", "live_logs"));
  }

  private static void configuration(Vertx vertx, ResultTable table, Path repo, int units, int changes) throws Exception {
    ConfigBench.Result r = ConfigBench.measure(vertx, repo, units, changes);
    String run = String.format("config: a shared change, %d simulated units, %d changes", r.units(), r.changes());
    table.add(run + ": PATCH → each unit has its new version", ResultTable.fmt(r.received()),
        ResultTable.fmt(r.floor()) + " QoS 1 round trip", ratio(r.received(), r.floor()), r.received().toJson()
            .put("units", r.units()).put("changes", r.changes()).put("simulated", true).put("floor", r.floor().toJson()));
    table.add(run + ": PATCH → the leader says all " + r.units() + " current", ResultTable.fmt(r.allCurrent()),
        ResultTable.fmt(r.floor()) + " QoS 1 round trip", ratio(r.allCurrent(), r.floor()), r.allCurrent().toJson()
            .put("units", r.units()).put("changes", r.changes()).put("poll_ms", 10));
  }

  private static void telemetry(Vertx vertx, ResultTable table, Path repo, int units, int seconds, int idleSeconds)
      throws Exception {
    TelemetryBench.Result r = TelemetryBench.measure(vertx, repo, units, seconds, idleSeconds);
    String run = String.format("telemetry: %d simulated units × OD + growth rate + temperature at 1 Hz, %d s", r.units(), r.seconds());
    table.add(run + ": publish → readings event (commit + ≤1 s hand-over)", ResultTable.fmt(r.lag()),
        ResultTable.fmt(r.floor()) + " QoS 1 round trip", ratio(r.lag(), r.floor()), r.lag().toJson()
            .put("units", r.units()).put("seconds", r.seconds()).put("simulated", true).put("broker", "embedded")
            .put("floor", r.floor().toJson()));
    table.add("telemetry: ≈ commit lag (each readings event's oldest point − the 1 s hand-over)", ResultTable.fmt(r.commit()),
        ResultTable.fmt(r.floor()) + " QoS 1 round trip", ratio(r.commit(), r.floor()), r.commit().toJson()
            .put("units", r.units()).put("estimate", true).put("floor", r.floor().toJson()));
    table.add("telemetry: leader CPU during ingest (" + String.format("%.0f s", r.ingest().wallSeconds()) + ", "
            + r.units() * 3 + " readings/s)", String.format("%.1f%% of a core", 100 * r.ingest().coreShare()),
        String.format("%.1f%% idle, same units", 100 * r.idle().coreShare()),
        String.format("×%.0f", r.ingest().coreShare() / Math.max(r.idle().coreShare(), 1e-3)), new JsonObject()
            .put("cpu_seconds", r.ingest().cpuSeconds()).put("wall_seconds", r.ingest().wallSeconds())
            .put("idle_cpu_seconds", r.idle().cpuSeconds()).put("idle_wall_seconds", r.idle().wallSeconds())
            .put("units", r.units()).put("broker", "embedded"));
    JsonObject stored = new JsonObject();
    r.stored().forEach((t, n) -> stored.put(t, new JsonObject().put("rows", n[0]).put("distinct", n[1])));
    long duplicates = r.storedTotal() - r.storedDistinct();
    String kept = String.format("%.2f%% kept", 100.0 * r.storedDistinct() / r.published())
        + (duplicates > 0 ? String.format(", %,d duplicate rows", duplicates) : "")
        + (r.failed() > 0 ? String.format(", %,d publishes failed", r.failed()) : "");
    table.add("telemetry: rows stored (distinct) / readings published (seen on the event stream)", String.format(
            "%,d (%,d) / %,d (%,d)", r.storedTotal(), r.storedDistinct(), r.published(), r.streamed()), null, kept,
        new JsonObject().put("stored", stored).put("published", r.published()).put("failed", r.failed())
            .put("streamed", r.streamed()).put("duplicates", duplicates));
  }

  private static void timeSeries(ResultTable table, Path repo, int samples) throws Exception {
    TimeSeriesBench.Result r = TimeSeriesBench.measure(repo, samples);
    String day = String.format("time_series/od_readings, one unit's day at 1 Hz (%,d rows), lookback=24", r.rows());
    for (var row : List.of(Map.entry(r.pagePoints(), r.page()), Map.entry(r.mostPoints(), r.most()))) {
      table.add(day + ", target_points=" + row.getKey(), ResultTable.fmt(row.getValue()),
          ResultTable.fmt(r.health()) + " GET /api/health", ratio(row.getValue(), r.health()), row.getValue().toJson()
              .put("rows", r.rows()).put("target_points", row.getKey()).put("insert_seconds", r.insertSeconds())
              .put("floor", r.health().toJson().put("path", "/api/health")));
    }
  }

  private static void page(Vertx vertx, ResultTable table, Path repo, int units, int loads) throws Exception {
    String missing = PageBench.missing();
    if (missing != null) {
      System.out.println("page: skipped, " + missing);
      table.add("page: first render in headless Chromium", "skipped: " + missing, null, null,
          new JsonObject().put("skipped", missing));
      return;
    }
    PageBench.Result r = PageBench.measure(vertx, repo, units, loads);
    String run = String.format("page, %d simulated units × 3 jobs ready, %d fresh loads each (Chromium %s)", r.units(), r.loads(),
        r.browser());
    JsonObject meta = new JsonObject().put("units", r.units()).put("loads", r.loads()).put("browser", r.browser())
        .put("simulated", true).put("broker", "embedded").put("signed_in", true).put("readings_per_chart", PageBench.READINGS);
    table.add(run + ": navigation → " + r.units() + " article.pio-card (#pioreactors/" + PageBench.EXPERIMENT + ")",
        ResultTable.fmt(r.pioCards()), ResultTable.fmt(r.inventoryCards()) + " #inventory → " + r.units() + " article.card",
        ratio(r.pioCards(), r.inventoryCards()), r.pioCards().toJson().mergeIn(meta).put("floor", r.inventoryCards().toJson())
            .put("first_loads", r.first()).put("loads_raw", r.raw()).put("setup_ms", r.setupMs()));
    table.add("page: navigation → the page's mark pioreactors-first-render", ResultTable.fmt(r.pioMark()),
        ResultTable.fmt(r.inventoryMark()) + " inventory-first-render", ratio(r.pioMark(), r.inventoryMark()),
        r.pioMark().toJson().mergeIn(meta).put("floor", r.inventoryMark().toJson()));
    table.add("page: navigation → first card's OD and growth charts drawn (" + r.chartPoints() + " points each)",
        ResultTable.fmt(r.charts()), ResultTable.fmt(r.inventoryCards()) + " #inventory → " + r.units() + " article.card",
        ratio(r.charts(), r.inventoryCards()), r.charts().toJson().mergeIn(meta).put("chart_points", r.chartPoints())
            .put("floor", r.inventoryCards().toJson()));
    // Not a latency: how many units the leader showed wrong after their jobs started (every publish acknowledged).
    int wrong = r.shown().getInteger("units_shown_wrong");
    table.add("page setup: units the leader showed with a job not ready or a setting missing, 15 s after their jobs started",
        wrong + " of " + r.units() + (wrong == 0 ? "" : String.format(" (the broker retained %d of %d job states ready; "
            + "those units published their state again)", r.shown().getLong("broker_retained_ready"),
            r.shown().getInteger("broker_retained_states"))), null, null, r.shown().copy().put("units", r.units()));
  }

  private static void soak(Vertx vertx, ResultTable table, Path repo, Duration length, Duration churn, Duration every)
      throws Exception {
    SoakBench.Result r = SoakBench.measure(vertx, repo, length, churn, every);
    var first = r.samples().get(0);
    var last = r.samples().get(r.samples().size() - 1);
    String run = String.format("soak, %.0f min, %d experiments", length.toSeconds() / 60.0, r.experiments());
    JsonArray samples = new JsonArray();
    r.samples().forEach(x -> samples.add(new JsonObject().put("minutes", x.minutes()).put("heap_kb", x.heapKb())
        .put("rss_kb", x.rssKb()).put("threads", x.threads()).put("fds", x.fds()).put("retained", x.retained())));
    table.add(run + ": leader heap after GC", mb(first.heapKb()) + " → " + mb(last.heapKb()), null,
        String.format("%+.1f MB / 10 min", r.slopePer10Min(x -> x.heapKb() / 1024.0)), new JsonObject().put("samples", samples));
    table.add(run + ": leader RSS", mb(first.rssKb()) + " → " + mb(last.rssKb()), null,
        String.format("%+.1f MB / 10 min", r.slopePer10Min(x -> x.rssKb() / 1024.0)), new JsonObject());
    table.add(run + ": threads / open files", first.threads() + " / " + first.fds() + " → " + last.threads() + " / " + last.fds(),
        null, String.format("%+.1f / %+.1f per 10 min", r.slopePer10Min(x -> x.threads()), r.slopePer10Min(x -> x.fds())),
        new JsonObject());
    table.add(run + ": retained topics", first.retained() + " → " + last.retained(), null,
        String.format("%+.1f / 10 min", r.slopePer10Min(x -> x.retained())), new JsonObject());
  }

  private static void cluster(Vertx vertx, ResultTable table, Path repo, int workers, int rounds) throws Exception {
    ClusterBench.Result r = ClusterBench.measure(vertx, repo, workers, rounds);
    table.add("is_active=0 → all " + r.jobs() + " jobs of the worker disconnected", ResultTable.fmt(r.deactivate()),
        ResultTable.fmt(r.floor()), String.format("p50 ×%.1f", r.deactivate().p50Ms() / r.floor().p50Ms()),
        r.deactivate().toJson().put("jobs", r.jobs()).put("rounds", rounds).put("floor", r.floor().toJson()));
    table.add("broadcast stirring → ready on " + r.workers() + " workers", ResultTable.fmt(r.broadcast()),
        ResultTable.fmt(r.floor()), String.format("p50 ×%.1f", r.broadcast().p50Ms() / r.floor().p50Ms()),
        r.broadcast().toJson().put("workers", r.workers()).put("rounds", rounds).put("floor", r.floor().toJson()));
  }

  private static void identify(Vertx vertx, ResultTable table, Path repo, int workers, int rounds) throws Exception {
    IdentifyBench.Result r = IdentifyBench.measure(vertx, repo, workers, rounds);
    for (var row : List.of(Map.entry(1, r.alone()), Map.entry(r.crowdedWorkers(), r.crowded()))) {
      String who = row.getKey() == 1 ? "1 worker connected" : row.getKey() + " workers connected (1 real + "
          + (row.getKey() - 1) + " simulated)";
      table.add("identify: POST blink → first LED edge, " + who, ResultTable.fmt(row.getValue()), ResultTable.fmt(r.floor()),
          ratio(row.getValue(), r.floor()), row.getValue().toJson().put("workers", row.getKey()).put("rounds", rounds)
              .put("floor", r.floor().toJson()));
    }
  }

  private static void fanOut(Vertx vertx, ResultTable table, Path repo, int workers, int rounds) throws Exception {
    FanOutBench.Result r = FanOutBench.measure(vertx, repo, workers, rounds);
    String sim = r.workers() + " simulated workers";
    table.add("broadcast stirring → ready on all " + sim, ResultTable.fmt(r.run()), ResultTable.fmt(r.floor()),
        ratio(r.run(), r.floor()), r.run().toJson().put("workers", r.workers()).put("simulated", true).put("floor", r.floor().toJson()));
    table.add("broadcast reboot → received by all " + sim, ResultTable.fmt(r.rebootReceived()), ResultTable.fmt(r.floor()),
        ratio(r.rebootReceived(), r.floor()), r.rebootReceived().toJson().put("workers", r.workers()).put("simulated", true)
            .put("floor", r.floor().toJson()));
    table.add("broadcast reboot → HTTP answer with all " + r.workers() + " replies", ResultTable.fmt(r.rebootAnswered()),
        ResultTable.fmt(r.floor()), ratio(r.rebootAnswered(), r.floor()), r.rebootAnswered().toJson().put("workers", r.workers())
            .put("simulated", true).put("floor", r.floor().toJson()));
  }

  private static void scale(Vertx vertx, ResultTable table, Path repo, int workers, int samples, int idleSeconds)
      throws Exception {
    ScaleBench.Result r = ScaleBench.measure(vertx, repo, workers, samples, idleSeconds);
    String n = r.workers() + " simulated workers in the inventory";
    table.add("GET /api/workers, " + n, ResultTable.fmt(r.list()), ResultTable.fmt(r.health()) + " GET /api/health",
        ratio(r.list(), r.health()), r.list().toJson().put("workers", r.workers()).put("simulated", true)
            .put("floor", r.health().toJson().put("path", "/api/health")));
    table.add("event stream: monitor $state → SSE event, " + n, ResultTable.fmt(r.events()), ResultTable.fmt(r.floor()),
        ratio(r.events(), r.floor()), r.events().toJson().put("workers", r.workers()).put("simulated", true)
            .put("floor", r.floor().toJson()));
    table.add("leader RSS after that run, " + n, String.format("%.0f MB", r.rssKb() / 1024.0), null, null,
        new JsonObject().put("rss_mb", r.rssKb() / 1024.0).put("workers", r.workers()).put("broker", "mosquitto"));
    table.add("leader CPU over that run (" + String.format("%.0f s", r.busy().wallSeconds()) + "), " + n,
        String.format("%.0f%% of a core", 100 * r.busy().coreShare()), null, null, new JsonObject()
            .put("cpu_seconds", r.busy().cpuSeconds()).put("wall_seconds", r.busy().wallSeconds()).put("workers", r.workers()));
    table.add("leader CPU holding them idle (" + String.format("%.0f s", r.idle().wallSeconds()) + "), " + n,
        String.format("%.1f%% of a core", 100 * r.idle().coreShare()), null, null, new JsonObject()
            .put("cpu_seconds", r.idle().cpuSeconds()).put("wall_seconds", r.idle().wallSeconds()).put("workers", r.workers()));
  }

  private static void workerFootprint(Vertx vertx, ResultTable table, Path repo, int starts) throws Exception {
    WorkerFootprint.Result r = WorkerFootprint.measure(vertx, repo, starts);
    JsonObject meta = new JsonObject().put("jvm_flags", String.join(" ", r.flags())).put("starts", r.starts());
    table.add("worker start to monitor ready (systemd flags)", String.format("%.2f s", r.worker().startSeconds()),
        String.format("%.2f s", r.floor().startSeconds()) + " idle JVM",
        String.format("×%.1f", r.worker().startSeconds() / r.floor().startSeconds()),
        meta.copy().put("seconds", r.worker().startSeconds()).put("floor_seconds", r.floor().startSeconds()));
    table.add("worker RSS idle (systemd flags)", String.format("%.0f MB", r.worker().rssKb() / 1024.0),
        String.format("%.0f MB", r.floor().rssKb() / 1024.0) + " idle JVM",
        String.format("×%.2f", (double) r.worker().rssKb() / r.floor().rssKb()),
        meta.copy().put("rss_mb", r.worker().rssKb() / 1024.0).put("floor_rss_mb", r.floor().rssKb() / 1024.0));
  }

  private static void leaderLoad(Vertx vertx, ResultTable table, Path repo, int workers) throws Exception {
    LeaderLoadFootprint.Result r = LeaderLoadFootprint.measure(vertx, repo, workers);
    table.add("leader RSS with " + workers + " simulated workers, embedded broker", mb(r.loadedEmbeddedKb()),
        mb(r.idleEmbeddedKb()) + " idle", String.format("×%.2f", (double) r.loadedEmbeddedKb() / r.idleEmbeddedKb()),
        new JsonObject().put("rss_mb", r.loadedEmbeddedKb() / 1024.0).put("idle_rss_mb", r.idleEmbeddedKb() / 1024.0)
            .put("workers", workers).put("simulated", true).put("broker", "embedded"));
    table.add("leader RSS with " + workers + " simulated workers, mosquitto", mb(r.loadedExternalKb()),
        mb(r.idleExternalKb()) + " idle", String.format("×%.2f", (double) r.loadedExternalKb() / r.idleExternalKb()),
        new JsonObject().put("rss_mb", r.loadedExternalKb() / 1024.0).put("idle_rss_mb", r.idleExternalKb() / 1024.0)
            .put("workers", workers).put("simulated", true).put("broker", "mosquitto"));
  }

  private static String mb(long kb) {
    return String.format("%.0f MB", kb / 1024.0);
  }

  private static String ratio(Percentiles p, Percentiles floor) {
    return String.format("p50 ×%.1f, p99 ×%.1f", p.p50Ms() / floor.p50Ms(), p.p99Ms() / floor.p99Ms());
  }

  private static void footprints(ResultTable table, Path jar, int starts) throws Exception {
    List<LeaderFootprint.Sample> withEmbedded = new ArrayList<>();
    List<LeaderFootprint.Sample> withExternal = new ArrayList<>();
    try (MosquittoBroker mosquitto = MosquittoBroker.start()) {
      for (int i = 0; i < starts; i++) {
        withEmbedded.add(LeaderFootprint.measure(jar, Files.createTempDirectory("bench-leader"), FreePorts.next(),
            FreePorts.next(), FreePorts.next(), 0));
        withExternal.add(LeaderFootprint.measure(jar, Files.createTempDirectory("bench-leader"), FreePorts.next(),
            0, 0, mosquitto.port()));
      }
    }
    double startEmb = median(withEmbedded.stream().map(LeaderFootprint.Sample::startSeconds).toList());
    double startExt = median(withExternal.stream().map(LeaderFootprint.Sample::startSeconds).toList());
    double rssEmb = median(withEmbedded.stream().map(s -> (double) s.rssKb()).toList()) / 1024;
    double rssExt = median(withExternal.stream().map(s -> (double) s.rssKb()).toList()) / 1024;
    String flags = String.join(" ", LeaderFootprint.JVM_FLAGS);
    table.add("leader start to API ready, embedded broker", String.format("%.2f s", startEmb), String.format("%.2f s", startExt),
        String.format("×%.2f", startEmb / startExt), new JsonObject().put("seconds", startEmb).put("floor_seconds", startExt)
            .put("starts", starts).put("jvm_flags", flags));
    table.add("leader RSS idle, embedded broker", String.format("%.0f MB", rssEmb), String.format("%.0f MB", rssExt),
        String.format("×%.2f", rssEmb / rssExt), new JsonObject().put("rss_mb", rssEmb).put("floor_rss_mb", rssExt)
            .put("jvm_flags", flags));
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(Double::compare);
    return s.get(s.size() / 2);
  }
}
