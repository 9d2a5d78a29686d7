package io.pioreactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Topics;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a worker's jobs measure, stored by a real leader from a real worker daemon: at the rate published, and kept. */
class TelemetryStorageEndToEndTest {
  private static final Duration SOON = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  @Test
  @DisplayName("od readings at 5 Hz are stored at that rate, timestamped by the worker, and a time range of them is answered")
  void readingsStoredAtTheRatePublished() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(false);
      c.startWorker("w1");
      c.addAndAssign("e1", "w1");
      assertThat(c.http.send("POST", Cluster.runJobPath("w1", "e1", Jobs.OD_READING), "{\"options\": {\"interval\": 0.2}}").status())
          .isEqualTo(200);
      Cluster.awaitTrue("od_reading ready", SOON, () -> "ready".equals(c.retained.get(Topics.jobState("w1", "e1", Jobs.OD_READING))));
      Instant from = Instant.now();
      Thread.sleep(6_000);
      Instant to = Instant.now();
      Thread.sleep(1_500); // the rows of the window are committed
      List<Map<String, Object>> rows = c.rows("SELECT timestamp FROM od_readings WHERE experiment = 'e1' AND pioreactor_unit = 'w1' "
          + "AND channel = 1 AND timestamp >= ? AND timestamp < ?", from.toString(), to.toString());
      double seconds = Duration.between(from, to).toMillis() / 1000.0;
      assertThat(rows.size() / seconds).as("rows a second, published at 5 a second").isBetween(3.5, 6.0);

      JsonObject recent = (JsonObject) c.http.get("/api/workers/w1/experiments/e1/time_series/od_readings?lookback=0.001").json();
      assertThat(recent.getJsonArray("series")).containsExactly("w1-1");
      Instant cutoff = Instant.now().minusMillis(3_600 + 2_000);
      recent.getJsonArray("data").getJsonArray(0).forEach(p ->
          assertThat(Instant.parse(((JsonObject) p).getString("x"))).as("within the last 3.6 s").isAfter(cutoff));
      assertThat(recent.getJsonArray("data").getJsonArray(0).size()).isBetween(10, 25);
    }
  }

  @Test
  @DisplayName("the leader SIGKILLed while storing a stream of readings: every reading it said it had stored is in the database, which passes integrity_check")
  void killedLeaderKeepsWhatItAcknowledged() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(false);
      c.startWorker("w1");
      c.startWorker("w2");
      c.addAndAssign("e1", "w1", "w2");
      for (String w : List.of("w1", "w2")) {
        assertThat(c.http.send("POST", Cluster.runJobPath(w, "e1", Jobs.OD_READING), "{\"options\": {\"interval\": 0.1}}").status())
            .isEqualTo(200);
        assertThat(c.http.send("POST", Cluster.runJobPath(w, "e1", Jobs.GROWTH_RATE_CALCULATING), "{}").status()).isEqualTo(200);
      }
      // The event stream's readings are handed over only once committed: what the leader says it has stored.
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      try (AutoCloseable stream = c.http.events((event, data) -> {
        if (event.equals("readings")) {
          new JsonObject(data).getJsonArray("readings").forEach(o -> {
            JsonObject r = (JsonObject) o;
            acknowledged.add(r.getString("table") + " " + r.getString("series") + " " + r.getString("x"));
          });
        }
      })) {
        Cluster.awaitTrue("a few hundred readings acknowledged", Duration.ofSeconds(30), () -> acknowledged.size() >= 200);
        Thread.sleep(700 + new java.util.Random().nextInt(800));
        c.killLeader();
      }
      assertThat(c.rows("PRAGMA integrity_check").get(0).values().iterator().next()).isEqualTo("ok");
      Set<String> stored = new TreeSet<>();
      c.rows("SELECT pioreactor_unit || '-' || channel AS s, timestamp FROM od_readings").forEach(r ->
          stored.add("od_readings " + r.get("s") + " " + r.get("timestamp")));
      for (String table : List.of("growth_rates", "od_readings_filtered")) {
        c.rows("SELECT pioreactor_unit AS s, timestamp FROM " + table).forEach(r -> stored.add(table + " " + r.get("s") + " " + r.get("timestamp")));
      }
      Set<String> missing = acknowledged.stream().filter(a -> !stored.contains(a)).collect(Collectors.toCollection(TreeSet::new));
      assertThat(missing).as("acknowledged (" + acknowledged.size() + ") but not in the database (" + stored.size() + " rows)").isEmpty();
    }
  }
}
