package io.pioreactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Topics;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random and structure-aware bad input on every REST endpoint and every MQTT topic the daemons subscribe to,
 * against a real leader and worker. The oracle: no 5xx, no hang, both daemons alive and answering, and a
 * rejected request (4xx) leaves the inventory, experiments, assignments and profiles exactly as they were.
 * The seed is printed; {@code -Dfuzz.seed=N} replays a run, {@code -Dfuzz.cases=N} sets its size.
 */
class FuzzTest {
  private static final int CASES = Integer.getInteger("fuzz.cases", 12_000);
  private static final Duration NO_HANG = Duration.ofSeconds(15);

  @TempDir
  Path dir;

  private final long seed = Long.getLong("fuzz.seed", System.nanoTime());
  private final Random random = new Random(seed);

  /**
   * The fuzz list stays in step with the leader: every route the API package declares with a literal path (the loop-made
   * job routes are listed there by hand) is in {@link RestFuzzer#ENDPOINTS}.
   */
  @Test
  @DisplayName("every route the leader's API declares is in the fuzz list")
  void everyRouteIsFuzzed() throws Exception {
    // Every file of the API package that declares routes (HttpApi, UpstreamRoutes, …).
    StringBuilder source = new StringBuilder();
    try (var files = java.nio.file.Files.list(DaemonProcess.ROOT.resolve("leader-daemon/src/main/java/io/pioreactor/leader/api"))) {
      for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        source.append(java.nio.file.Files.readString(f));
      }
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\.(get|post|put|delete|patch)\\(\"(/[^\"]*)\"").matcher(source);
    java.util.Set<String> fuzzed = new java.util.HashSet<>();
    RestFuzzer.ENDPOINTS.forEach(e -> fuzzed.add(e.method() + " " + e.path().replaceAll("\\{[a-z]+}", ":x").replaceAll("/$", "")));
    List<String> missing = new ArrayList<>();
    int declared = 0;
    while (m.find()) {
      declared++;
      // (a trailing wildcard, as in the file browser's /path/*, is a parameter too)
      String route = m.group(1).toUpperCase() + " " + m.group(2).replaceAll(":[a-z]+", ":x").replaceAll("/\\*$", "/:x")
          .replaceAll("/$", "");
      if (!fuzzed.contains(route)) {
        missing.add(route);
      }
    }
    assertThat(declared).as("routes found in the API package").isGreaterThan(45);
    assertThat(missing).as("routes of the API missing from RestFuzzer.ENDPOINTS").isEmpty();
  }

  @Test
  @DisplayName("at least 10,000 random and structure-aware bad inputs on every endpoint and subscribed topic: no 5xx, no hang, no crash, a rejected request changes nothing")
  void fuzzEverything() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(false);
      c.startWorker("w1");
      c.addAndAssign("e1", "w1");
      assertThat(c.http.send("POST", "/api/workers/w1/jobs/run/job_name/stirring/experiments/e1",
          "{\"options\": {\"target_rpm\": 400}}").status()).isEqualTo(200);
      Cluster.awaitTrue("stirring", Duration.ofSeconds(10), () -> "ready".equals(c.retained.get(Topics.jobState("w1", "e1", Jobs.STIRRING))));
      String base = "http://127.0.0.1:" + c.httpPort;
      System.out.println("fuzz seed: " + seed + " (replay with -Dfuzz.seed=" + seed + ")");

      try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + c.database())) {
        // MQTT first, while the cluster is as set up: every message here is invalid, so nothing may change at all.
        String inventoryBefore = RestFuzzer.snapshot(db);
        String rpmBefore = c.retained.get(Topics.job("w1", "e1", Jobs.STIRRING, "target_rpm"));
        String workerBefore = c.http.get("/api/workers/w1").body();
        int mqttCases = new MqttFuzzer(random).run(c, CASES / 3);
        java.util.concurrent.atomic.AtomicReference<String> running = new java.util.concurrent.atomic.AtomicReference<>();
        try {
          Cluster.awaitTrue("both daemons still answer", NO_HANG, () -> {
            Http.Response r = c.http.get("/api/units/w1/activities");
            running.set(r.status() + " " + r.body());
            return r.body().contains(Jobs.STIRRING);
          }, c.daemon("w1"), c.daemon("leader-daemon"));
        } catch (AssertionError e) {
          throw new AssertionError("jobs running on w1 after the MQTT fuzz: " + running.get() + "; retained state "
              + c.retained.get(Topics.jobState("w1", "e1", Jobs.STIRRING)) + "; worker log: "
              + java.nio.file.Files.readString(dir.resolve("w1/daemon.log")).lines()
                  .filter(l -> l.contains("halting") || l.contains("membership") || l.contains("stopping")).toList()
              + "; leader log: " + java.nio.file.Files.readString(dir.resolve("leader/daemon.log")).lines()
                  .filter(l -> l.contains("job state") || l.contains("ERROR") || l.contains("Exception")).limit(30).toList(), e);
        }
        assertThat(RestFuzzer.snapshot(db)).as("the leader's tables after the MQTT fuzz").isEqualTo(inventoryBefore);

        c.watchAgain(); // the watcher saw the fuzz go by: read what the broker retains now
        Cluster.awaitTrue("the retained state read again", NO_HANG, () -> c.retained.containsKey(Topics.monitorState("w1"))
            && c.retained.containsKey(Topics.job("w1", "e1", Jobs.STIRRING, "target_rpm")));
        assertThat(c.retained.get(Topics.jobState("w1", "e1", Jobs.STIRRING))).isEqualTo("ready");
        assertThat(c.retained.get(Topics.job("w1", "e1", Jobs.STIRRING, "target_rpm"))).isEqualTo(rpmBefore);
        assertThat(c.retained.get(Topics.monitorState("w1"))).isEqualTo("ready");
        assertThat(new JsonObject(c.http.get("/api/workers/w1").body()).getString("state"))
            .isEqualTo(new JsonObject(workerBefore).getString("state"));
        // Volume: a flood from w1's own credentials. The leader answers throughout, keeps its bounds, changes nothing.
        long logsBefore = c.rows("SELECT count(*) AS n FROM logs").get(0).values().iterator().next() instanceof Number n0 ? n0.longValue() : 0;
        long t0 = System.nanoTime();
        int flooded = new MqttFuzzer(random).flood(c, 20_000);
        Cluster.awaitTrue("the leader answers after the flood", NO_HANG, () -> c.http.get("/api/health").status() == 200,
            c.daemon("leader-daemon"));
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L + 2;
        long logsAfter = ((Number) c.rows("SELECT count(*) AS n FROM logs").get(0).values().iterator().next()).longValue();
        System.out.println("flood from w1's credentials: " + flooded + " messages written; " + (logsAfter - logsBefore)
            + " log rows stored in " + seconds + " s");
        assertThat(logsAfter - logsBefore).as("log rows stored from the flood").isLessThanOrEqualTo(300 + 10 * seconds + 50);
        assertThat(((io.vertx.core.json.JsonArray) c.http.get("/api/units/w1/activities").json()).size()).isLessThanOrEqualTo(64);
        assertThat(c.daemon("leader-daemon").rssKb()).as("leader RSS (kB)").isLessThan(450 * 1024);
        assertThat(RestFuzzer.snapshot(db)).as("the leader's tables after the flood").isEqualTo(inventoryBefore);

        int restCases = new RestFuzzer(random).run(base, db, CASES - mqttCases);
        assertThat(c.daemon("leader-daemon").isAlive()).isTrue();
        assertThat(c.daemon("w1").isAlive()).isTrue();
        assertThat(c.http.get("/api/health").status()).isEqualTo(200);
        assertThat(c.rows("PRAGMA integrity_check").get(0).values().iterator().next()).isEqualTo("ok");
        System.out.println("fuzz cases: " + mqttCases + " MQTT messages + " + restCases + " HTTP requests = " + (mqttCases + restCases));
        assertThat(mqttCases + restCases).isGreaterThanOrEqualTo(Math.min(CASES, 10_000));
      }
    }
  }
}
