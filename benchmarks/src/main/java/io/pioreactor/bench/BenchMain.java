package io.pioreactor.bench;

import io.pioreactor.leader.broker.BrokerSettings;
import io.pioreactor.leader.broker.EmbeddedBroker;
import io.pioreactor.protocol.testing.FreePorts;
import io.pioreactor.protocol.testing.MosquittoBroker;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code scripts/bench [--full] [--out FILE]}: every figure is measured in this run, next to its floor
 * (the same measure on the bare reference), and printed as a table; the JSON goes to FILE.
 * The small run (the default, and what CI runs) only keeps the bench working; quote the full one.
 */
public final class BenchMain {
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
    int samples = full ? 2000 : 200;
    int starts = full ? 5 : 1;
    ResultTable table = new ResultTable();
    Vertx vertx = Vertx.vertx();
    try {
      roundTrips(vertx, table, samples);
      cluster(vertx, table, repo, full ? 4 : 2, full ? 30 : 3);
    } finally {
      vertx.close().await();
    }
    footprints(table, repo.resolve("leader-daemon/target/leader-daemon.jar"), starts);
    var share = BrokerJarShare.of(repo.resolve("leader-daemon/target/leader-daemon.jar"));
    table.add("leader jar size / broker's part", String.format("%.1f MB / %.1f MB", share.jarBytes() / 1e6,
        share.brokerBytes() / 1e6), null, String.format("%.0f%%", 100.0 * share.brokerBytes() / share.jarBytes()),
        new JsonObject().put("jar_bytes", share.jarBytes()).put("broker_bytes", share.brokerBytes()));
    System.out.println();
    table.print();
    table.write(out, new JsonObject().put("mode", full ? "full" : "small").put("at", Instant.now().toString())
        .put("cores", Runtime.getRuntime().availableProcessors()).put("java", System.getProperty("java.version")));
    System.out.println("\nJSON: " + out.toAbsolutePath());
  }

  private static void roundTrips(Vertx vertx, ResultTable table, int samples) throws Exception {
    Path dir = Files.createTempDirectory("bench-broker");
    int port = FreePorts.next();
    EmbeddedBroker embedded = new EmbeddedBroker(vertx, BrokerSettings.fromJson(new JsonObject()
        .put("host", "127.0.0.1").put("port", port).put("ws_port", FreePorts.next()).put("persistence", false), dir));
    embedded.start().await();
    try (MosquittoBroker mosquitto = MosquittoBroker.start()) {
      for (int qos : new int[] {0, 1}) {
        Percentiles floor = MqttRoundTrip.measure(vertx, mosquitto.port(), qos, samples / 10, samples);
        Percentiles ours = MqttRoundTrip.measure(vertx, embedded.port(), qos, samples / 10, samples);
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

  private static void cluster(Vertx vertx, ResultTable table, Path repo, int workers, int rounds) throws Exception {
    ClusterBench.Result r = ClusterBench.measure(vertx, repo, workers, rounds);
    table.add("is_active=0 → all " + r.jobs() + " jobs of the worker disconnected", ResultTable.fmt(r.deactivate()),
        ResultTable.fmt(r.floor()), String.format("p50 ×%.1f", r.deactivate().p50Ms() / r.floor().p50Ms()),
        r.deactivate().toJson().put("jobs", r.jobs()).put("rounds", rounds).put("floor", r.floor().toJson()));
    table.add("broadcast stirring → ready on " + r.workers() + " workers", ResultTable.fmt(r.broadcast()),
        ResultTable.fmt(r.floor()), String.format("p50 ×%.1f", r.broadcast().p50Ms() / r.floor().p50Ms()),
        r.broadcast().toJson().put("workers", r.workers()).put("rounds", rounds).put("floor", r.floor().toJson()));
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
