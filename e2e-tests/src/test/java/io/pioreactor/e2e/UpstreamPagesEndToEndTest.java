package io.pioreactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.testing.JsonSchemas;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * What upstream's web app reads and does on its Pioreactors and Overview pages, against the real daemons (leader with
 * its embedded broker, two worker daemons as processes, w1 running od_reading, growth_rate_calculating, stirring and
 * temperature_automation): every answer in upstream's shape (the hand-written schemas in upstream/schemas.json, written
 * from upstream's api.py, unit_api.py, structs.py and web/utils.py; see docs/upstream-pages-contract.md) and with the
 * cluster's real content. One cluster for the class; the tests that change something (labels, a job setting, an
 * assignment) change only what the others do not read, and the unassignment runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpstreamPagesEndToEndTest {
  private static final Duration SOON = Duration.ofSeconds(15);
  /** Enough for temperature_automation's first reading (every 5 s) and some od readings (every 0.5 s). */
  private static final Duration READINGS = Duration.ofSeconds(60);
  private static final String E = "e1";
  private static final List<String> W1_JOBS =
      List.of(Jobs.OD_READING, Jobs.GROWTH_RATE_CALCULATING, Jobs.STIRRING, Jobs.TEMPERATURE_AUTOMATION);
  /** Upstream's time-series routes with a route of their own, whose series are units (od_readings: unit-channel). */
  private static final List<String> UNIT_SOURCES = List.of("od_readings_filtered", "growth_rates", "temperature_readings");
  private static final JsonSchemas SCHEMAS = new JsonSchemas();

  @TempDir
  static Path dir;
  private static Cluster c;
  private static Instant started;

  @BeforeAll
  static void clusterWithFourJobsOnW1() throws Exception {
    c = new Cluster(dir, true);
    c.startLeader(false);
    c.startWorker("w1");
    c.startWorker("w2");
    c.addAndAssign(E, "w1", "w2");
    started = Instant.now();
    Map<String, JsonObject> options = Map.of(Jobs.OD_READING, new JsonObject().put("interval", 0.5));
    for (String job : W1_JOBS) {
      String body = new JsonObject().put("options", options.getOrDefault(job, new JsonObject())).put("args", new JsonArray()).encode();
      Http.Response r = c.http.send("PATCH", Cluster.runJobPath("w1", E, job), body);
      // Upstream answers 202 with a task, ours 200 with the worker's reply: either starts the job, which is what counts here.
      assertThat(r.status()).as("run " + job + " on w1: " + r.body()).isIn(200, 202);
    }
    Cluster.awaitTrue("w1's four jobs ready", SOON,
        () -> W1_JOBS.stream().allMatch(j -> "ready".equals(c.retained.get(Topics.jobState("w1", E, j)))), c.daemon("w1"));
  }

  @AfterAll
  static void stopCluster() {
    if (c != null) {
      c.close();
    }
  }

  // ---- the Pioreactors page's descriptors

  @Test
  @Order(1)
  @DisplayName("a worker's job descriptors are upstream's BackgroundJobDescriptor, one per job, valid by upstream's rules, and include the four jobs w1 runs; an unknown worker is refused with 400")
  void workerJobDescriptors() {
    JsonArray jobs = (JsonArray) get("/api/workers/w1/jobs/descriptors", "job_descriptors");
    List<String> names = objects(jobs).stream().map(j -> j.getString("job_name")).toList();
    assertThat(names).as("upstream keeps one descriptor per job_name").doesNotHaveDuplicates().containsAll(W1_JOBS);
    objects(jobs).forEach(j -> assertValidPublishedSettings(j.getJsonArray("published_settings"), j.getString("job_name")));
    expect("GET", "/api/workers/nobody/jobs/descriptors", null, 400, "error");
  }

  @Test
  @Order(2)
  @DisplayName("the leader's and a worker's settings descriptors are upstream's SettingsCollectionDescriptor, one per key, valid by upstream's rules, with the pwms collection our workers publish")
  void settingsDescriptors() {
    for (String path : List.of("/api/settings/descriptors", "/api/workers/w1/settings/descriptors")) {
      JsonArray collections = (JsonArray) get(path, "settings_collection_descriptors");
      List<String> keys = objects(collections).stream().map(s -> s.getString("key")).toList();
      assertThat(keys).as(path).doesNotHaveDuplicates().contains(Topics.PWMS); // what our workers publish: $experiment/pwms/dc
      objects(collections).forEach(s -> assertValidPublishedSettings(s.getJsonArray("published_settings"), path + " " + s.getString("key")));
    }
  }

  @Test
  @Order(3)
  @DisplayName("a worker's temperature, dosing and led automation descriptors are upstream's AutomationDescriptor, one per automation, valid by upstream's rules; another automation type is refused with 400")
  void automationDescriptors() {
    for (String type : List.of("temperature", "dosing", "led")) {
      JsonArray automations = (JsonArray) get("/api/workers/w1/automations/descriptors/" + type, "automation_descriptors");
      assertThat(objects(automations).stream().map(a -> a.getString("automation_name")).toList()).as(type).doesNotHaveDuplicates();
      for (JsonObject a : objects(automations)) {
        List<JsonObject> fields = objects(a.getJsonArray("fields"));
        assertThat(fields.stream().map(f -> f.getString("key")).toList()).as(a.getString("automation_name") + "'s field keys")
            .doesNotHaveDuplicates();
        fields.stream().filter(f -> "select".equals(f.getString("type"))).forEach(f ->
            assertThat(f.getJsonArray("options")).as(a.getString("automation_name") + "." + f.getString("key") + ": a select has options")
                .isNotNull().isNotEmpty());
      }
    }
    expect("GET", "/api/workers/w1/automations/descriptors/pumping", null, 400, "error");
  }

  @Test
  @Order(4)
  @DisplayName("the chart descriptors are upstream's ChartDescriptor, one per chart_key, cover what w1 measures, and every chart's data answers on the time-series route the Overview builds from it")
  void chartDescriptors() {
    JsonArray charts = (JsonArray) get("/api/charts/descriptors", "chart_descriptors");
    assertThat(objects(charts).stream().map(ch -> ch.getString("chart_key")).toList()).doesNotHaveDuplicates();
    assertThat(objects(charts).stream().map(ch -> ch.getString("data_source")).toList())
        .contains("od_readings", "od_readings_filtered", "growth_rates", "temperature_readings");
    for (JsonObject chart : objects(charts)) {
      // As the page's Chart does: /time_series/<data_source>[/<data_source_column>]?target_points=(1400 | 1e6)&lookback=<hours>;
      // the lookback is the page's time window (ExperimentOverview.jsx evaluateChartLookback), "All time" = 1000000 h
      // unless one was picked, and only a negative window falls back to the chart's own.
      String column = chart.getString("data_source_column");
      String path = "/api/experiments/" + E + "/time_series/" + chart.getString("data_source") + (column == null ? "" : "/" + column)
          + "?target_points=" + (Boolean.FALSE.equals(chart.getValue("down_sample")) ? 1000000 : 1400)
          + "&lookback=1000000";
      assertWellFormed((JsonObject) get(path, "time_series"), chart.getString("chart_key") + ": " + path);
    }
  }

  // ---- labels

  @Test
  @Order(20)
  @DisplayName("unit labels round-trip: PUT and PATCH {unit, label} answer 201 success, GET gives {unit: label} of that experiment only, an empty label removes it, a body without a label is refused with 400")
  void unitLabels() {
    String labels = "/api/experiments/" + E + "/unit_labels";
    assertThat((JsonObject) get(labels, "unit_labels")).as("no label yet").isEqualTo(new JsonObject());
    expect("PUT", labels, "{\"unit\": \"w1\", \"label\": \"control\"}", 201, "success");
    assertThat((JsonObject) get(labels, "unit_labels")).isEqualTo(new JsonObject().put("w1", "control"));
    expect("PATCH", labels, "{\"unit\": \"w2\", \"label\": \"treated\"}", 201, "success");
    expect("PUT", labels, "{\"unit\": \"w1\", \"label\": \"baseline\"}", 201, "success");
    assertThat((JsonObject) get(labels, "unit_labels")).isEqualTo(new JsonObject().put("w1", "baseline").put("w2", "treated"));
    expect("PUT", labels, "{\"unit\": \"w1\", \"label\": \"\"}", 201, "success");
    assertThat((JsonObject) get(labels, "unit_labels")).as("the empty label removed w1's").isEqualTo(new JsonObject().put("w2", "treated"));
    expect("PUT", labels, "{\"unit\": \"w1\"}", 400, "error");

    expect("POST", "/api/experiments", "{\"experiment\": \"e2\"}", 201, "experiment");
    assertThat((JsonObject) get("/api/experiments/e2/unit_labels", "unit_labels")).as("labels belong to their experiment")
        .isEqualTo(new JsonObject());
  }

  // ---- time series

  @Test
  @Order(10)
  @DisplayName("the experiment's time series (od_readings, od_readings_filtered, growth_rates, temperature_readings) carry w1's readings in upstream's {series, data} shape, od series named unit-channel, the reference channel not among them")
  void experimentTimeSeries() {
    JsonObject od = awaitSeries("/api/experiments/" + E + "/time_series/od_readings?lookback=4&target_points=720",
        ts -> points(ts, "w1-1").size() >= 2);
    // Channel 2 is the reference photodiode (angle REF): it measures the LED, not the culture, and upstream stores only
    // the culture's channels.
    assertThat(series(od)).as("upstream names od series <unit>-<channel>").containsExactly("w1-1");
    for (String source : UNIT_SOURCES) {
      JsonObject ts = awaitSeries("/api/experiments/" + E + "/time_series/" + source + "?lookback=4&target_points=720",
          x -> !points(x, "w1").isEmpty());
      assertThat(series(ts)).as(source).containsExactly("w1");
    }
  }

  @Test
  @Order(11)
  @DisplayName("a worker's time series hold only its own series: w1's od channels, filtered od, growth rate and temperature; nothing for w2, which runs no job")
  void workerTimeSeries() {
    JsonObject od = awaitSeries("/api/workers/w1/experiments/" + E + "/time_series/od_readings?lookback=4&target_points=720",
        ts -> points(ts, "w1-1").size() >= 2);
    assertThat(series(od)).containsExactly("w1-1");
    for (String source : UNIT_SOURCES) {
      JsonObject ts = awaitSeries("/api/workers/w1/experiments/" + E + "/time_series/" + source + "?lookback=4&target_points=720",
          x -> !points(x, "w1").isEmpty());
      assertThat(series(ts)).as(source).containsExactly("w1");
    }
    for (String source : concat(List.of("od_readings"), UNIT_SOURCES)) {
      JsonObject none = (JsonObject) get("/api/workers/w2/experiments/" + E + "/time_series/" + source + "?lookback=4&target_points=720",
          "time_series");
      assertThat(none).as("w2's " + source).isEqualTo(new JsonObject().put("series", new JsonArray()).put("data", new JsonArray()));
    }
  }

  @Test
  @Order(12)
  @DisplayName("target_points caps the points of every series, keeping the first and the newest; lookback keeps only recent points; target_points=0 is refused with 400")
  void targetPointsAndLookback() {
    String base = "/api/experiments/" + E + "/time_series/od_readings";
    JsonObject full = awaitSeries(base + "?lookback=4&target_points=100000", ts -> points(ts, "w1-1").size() >= 16);
    JsonArray all = points(full, "w1-1");
    Instant newestBefore = Instant.parse(all.getJsonObject(all.size() - 1).getString("x"));

    JsonObject one = (JsonObject) get(base + "?lookback=4&target_points=1", "time_series");
    assertWellFormed(one, "target_points=1");
    assertThat(series(one)).containsExactly("w1-1");
    one.getJsonArray("data").forEach(points -> assertThat((JsonArray) points).as("target_points=1").hasSize(1));
    assertThat(Instant.parse(points(one, "w1-1").getJsonObject(0).getString("x"))).as("the one point is the newest")
        .isAfterOrEqualTo(newestBefore);

    JsonObject three = (JsonObject) get(base + "?lookback=4&target_points=3", "time_series");
    assertWellFormed(three, "target_points=3");
    three.getJsonArray("data").forEach(points -> assertThat(((JsonArray) points).size()).as("target_points=3").isBetween(1, 3));
    assertThat(points(three, "w1-1").getJsonObject(0).getString("x")).as("downsampling keeps the first point")
        .isEqualTo(all.getJsonObject(0).getString("x"));

    double hours = 0.0005; // 1.8 s: a few readings at one every 0.5 s
    Instant asked = Instant.now();
    JsonObject recent = (JsonObject) get(base + "?lookback=" + hours + "&target_points=100000", "time_series");
    assertWellFormed(recent, "lookback=" + hours);
    assertThat(points(recent, "w1-1").size()).as("lookback " + hours + " h against 4 h").isLessThan(all.size());
    Instant cutoff = asked.minusMillis((long) (hours * 3_600_000)).minusSeconds(2);
    recent.getJsonArray("data").forEach(points -> objects((JsonArray) points).forEach(p ->
        assertThat(Instant.parse(p.getString("x"))).as("a point within the lookback").isAfter(cutoff)));

    for (String path : List.of(base + "?target_points=0", "/api/workers/w1/experiments/" + E + "/time_series/od_readings?target_points=0",
        "/api/experiments/" + E + "/time_series/stirring_rates/measured_rpm?target_points=0")) {
      expect("GET", path, null, 400, "error");
    }
  }

  @Test
  @Order(13)
  @DisplayName("the column route (<data_source>/<column>) answers in upstream's shape with series named by unit, for the experiment and for a worker; a data source or column that is not a plain name is a 4xx, never a 500")
  void columnRoute() {
    for (String path : List.of("/api/experiments/" + E + "/time_series/stirring_rates/measured_rpm?lookback=4&target_points=720",
        "/api/workers/w1/experiments/" + E + "/time_series/stirring_rates/measured_rpm?lookback=4&target_points=720")) {
      JsonObject ts = (JsonObject) get(path, "time_series");
      assertWellFormed(ts, path);
      assertThat(series(ts)).as(path).isSubsetOf("w1");
    }
    JsonObject od = awaitSeries("/api/experiments/" + E + "/time_series/od_readings/od_reading?lookback=4&target_points=720",
        ts -> points(ts, "w1").size() >= 2);
    assertThat(series(od)).as("the column route names series by unit").containsExactly("w1");
    JsonObject w2 = (JsonObject) get("/api/workers/w2/experiments/" + E + "/time_series/od_readings/od_reading?lookback=4", "time_series");
    assertThat(series(w2)).isEmpty();

    for (String path : List.of("/api/experiments/" + E + "/time_series/x;drop/y", "/api/experiments/" + E + "/time_series/od_readings/x;drop",
        "/api/experiments/" + E + "/time_series/sqlite_master/name", "/api/workers/w1/experiments/" + E + "/time_series/x;drop/y")) {
      Http.Response r = c.http.get(path);
      assertThat(r.status()).as(path + ": " + r.body()).isBetween(400, 499);
    }
  }

  // ---- profiles

  @Test
  @Order(30)
  @DisplayName("with no profile run in the experiment, its recent profile runs and its running profiles are empty lists")
  void profilesNoneYet() {
    assertThat((JsonArray) get("/api/experiments/" + E + "/experiment_profiles/recent", "profile_runs")).isEmpty();
    assertThat((JsonArray) get("/api/experiments/" + E + "/experiment_profiles/running", "running_profiles")).isEmpty();
  }

  // ---- logs

  @Test
  @Order(40)
  @DisplayName("the experiment's logs and recent logs are upstream's rows, newest first, of that experiment, and include w1's job lines; min_level=WARNING leaves INFO out")
  void experimentLogs() {
    for (String path : List.of("/api/experiments/" + E + "/logs", "/api/experiments/" + E + "/recent_logs",
        "/api/experiments/" + E + "/recent_logs?min_level=DEBUG")) {
      JsonArray rows = (JsonArray) await("a line of w1's jobs in " + path, path, "log_entries", a -> hasJobLineOf((JsonArray) a, "w1"));
      assertNewestFirst(rows, path);
      assertThat(objects(rows).stream().map(r -> r.getString("experiment")).collect(Collectors.toSet())).as(path).containsOnly(E);
      assertThat(rows.size()).as(path).isLessThanOrEqualTo(path.contains("recent_logs") ? 50 : 100);
    }
    for (String path : List.of("/api/experiments/" + E + "/logs?min_level=WARNING", "/api/experiments/" + E + "/recent_logs?min_level=WARNING")) {
      JsonArray rows = (JsonArray) get(path, "log_entries");
      assertThat(objects(rows).stream().map(r -> r.getString("level")).collect(Collectors.toSet())).as(path).isSubsetOf("WARNING", "ERROR");
    }
  }

  @Test
  @Order(41)
  @DisplayName("a worker's logs and recent logs in an experiment hold only that worker's lines (or $broadcast's): w1's job lines for w1, none of them for w2")
  void workerLogs() {
    Set<String> w1OrAll = Set.of("w1", Topics.BROADCAST);
    JsonArray logs = (JsonArray) await("w1's job lines in its logs", "/api/workers/w1/experiments/" + E + "/logs", "log_entries",
        a -> hasJobLineOf((JsonArray) a, "w1"));
    assertNewestFirst(logs, "w1's logs");
    assertThat(objects(logs).stream().map(r -> r.getString("pioreactor_unit")).collect(Collectors.toSet())).isSubsetOf(w1OrAll);
    assertThat(objects(logs).stream().map(r -> r.getString("experiment")).collect(Collectors.toSet())).containsOnly(E);

    JsonArray recent = (JsonArray) await("w1's job lines in its recent logs", "/api/workers/w1/experiments/" + E + "/recent_logs",
        "log_entries", a -> hasJobLineOf((JsonArray) a, "w1"));
    assertNewestFirst(recent, "w1's recent logs");
    assertThat(objects(recent).stream().map(r -> r.getString("pioreactor_unit")).collect(Collectors.toSet())).isSubsetOf(w1OrAll);
    assertThat(objects(recent).stream().map(r -> r.getString("experiment")).collect(Collectors.toSet())).isSubsetOf(E, Topics.UNIT_LEVEL);

    for (String path : List.of("/api/workers/w2/experiments/" + E + "/logs", "/api/workers/w2/experiments/" + E + "/recent_logs")) {
      JsonArray rows = (JsonArray) get(path, "log_entries");
      assertThat(objects(rows).stream().map(r -> r.getString("pioreactor_unit")).toList()).as(path).doesNotContain("w1");
    }
  }

  @Test
  @Order(42)
  @DisplayName("a unit's system logs are upstream's rows of its lines outside any experiment (its identify line among them), and its logs are its lines of every experiment; min_level=WARNING leaves INFO out")
  void unitLogs() {
    assertThat(c.http.send("POST", "/api/workers/w1/blink", null).status()).isEqualTo(202);
    JsonArray system = (JsonArray) await("w1's identify line in its system logs", "/api/units/w1/system_logs", "log_entries",
        a -> objects((JsonArray) a).stream().anyMatch(r -> r.getString("message").contains("identify")));
    assertNewestFirst(system, "w1's system logs");
    assertThat(objects(system).stream().map(r -> r.getString("experiment")).collect(Collectors.toSet())).containsOnly(Topics.UNIT_LEVEL);
    assertThat(objects(system).stream().map(r -> r.getString("pioreactor_unit")).collect(Collectors.toSet()))
        .isSubsetOf(Set.of("w1", Topics.BROADCAST));

    // Upstream's System logs page for every unit: the experiment views of "$experiment".
    for (String path : List.of("/api/experiments/%24experiment/logs", "/api/experiments/%24experiment/recent_logs",
        "/api/workers/w1/experiments/%24experiment/recent_logs")) {
      JsonArray rows = (JsonArray) await("w1's identify line in " + path, path, "log_entries",
          a -> objects((JsonArray) a).stream().anyMatch(r -> r.getString("message").contains("identify")));
      assertThat(objects(rows).stream().map(r -> r.getString("experiment")).collect(Collectors.toSet())).as(path)
          .containsOnly(Topics.UNIT_LEVEL);
    }

    JsonArray all = (JsonArray) await("w1's job lines among its logs", "/api/units/w1/logs", "log_entries",
        a -> hasJobLineOf((JsonArray) a, "w1"));
    assertNewestFirst(all, "w1's logs");
    assertThat(objects(all).stream().map(r -> r.getString("pioreactor_unit")).collect(Collectors.toSet()))
        .isSubsetOf(Set.of("w1", Topics.BROADCAST));
    assertThat(all.size()).isLessThanOrEqualTo(100);
    JsonArray warnings = (JsonArray) get("/api/units/w1/logs?min_level=WARNING", "log_entries");
    assertThat(objects(warnings).stream().map(r -> r.getString("level")).collect(Collectors.toSet())).isSubsetOf("WARNING", "ERROR");
    for (String bad : List.of("/api/units/w1/logs?min_level=loud", "/api/units/w1/system_logs?skip=-1", "/api/units/bad%20name/logs")) {
      assertThat(c.http.get(bad).status()).as(bad).isEqualTo(400);
    }
  }

  @Test
  @Order(43)
  @DisplayName("upstream's Record an event log: a line posted for w1 (or for $broadcast, each assigned unit) is stored as that unit's, in upstream's rows; a malformed one is a 400 and stores nothing")
  void postedLogLines() {
    String line = "{\"message\": \"media changed by hand\", \"source\": \"ui\", \"level\": \"info\", "
        + "\"timestamp\": \"2026-12-02T10:00:00.000Z\", \"task\": \"manual-action\"}";
    Http.Response posted = c.http.send("POST", "/api/workers/w1/experiments/" + E + "/logs", line);
    assertThat(posted.status()).as(posted.body()).isEqualTo(202);
    assertThat(new JsonObject(posted.body()).getString("status")).isEqualTo("accepted");
    JsonArray w1 = (JsonArray) await("the posted line in w1's logs", "/api/workers/w1/experiments/" + E + "/logs", "log_entries",
        a -> objects((JsonArray) a).stream().anyMatch(r -> r.getString("message").equals("media changed by hand")));
    JsonObject row = objects(w1).stream().filter(r -> r.getString("message").equals("media changed by hand")).findFirst().orElseThrow();
    assertThat(row.getString("level")).isEqualTo("INFO");
    assertThat(row.getString("task")).isEqualTo("manual-action");
    assertThat(row.getString("timestamp")).isEqualTo("2026-12-02T10:00:00.000Z");

    String toAll = line.replace("media changed by hand", "everyone fed");
    assertThat(c.http.send("POST", "/api/units/%24broadcast/experiments/" + E + "/logs", toAll).status()).isEqualTo(202);
    for (String u : List.of("w1", "w2")) {
      await("the broadcast line in " + u + "'s logs", "/api/workers/" + u + "/experiments/" + E + "/logs", "log_entries",
          a -> objects((JsonArray) a).stream().anyMatch(r -> r.getString("message").equals("everyone fed") && u.equals(r.getString("pioreactor_unit"))));
    }

    for (String bad : List.of(line.replace("\"task\"", "\"extra\""), "{\"source\": \"ui\", \"level\": \"INFO\", \"timestamp\": \"t\"}",
        line.replace("\"info\"", "\"LOUD\""), line.replace("}", ", \"source_\": \"a/b\"}"), "[]")) {
      Http.Response r = c.http.send("POST", "/api/workers/w1/experiments/" + E + "/logs", bad.replace("media changed by hand", "must not be stored"));
      assertThat(r.status()).as(bad + ": " + r.body()).isEqualTo(400);
    }
    assertThat(c.http.send("POST", "/api/workers/bad%20name/experiments/" + E + "/logs", line).status()).isEqualTo(400);
    // A good line after the bad ones: once it is stored, anything published before it would be too.
    assertThat(c.http.send("POST", "/api/workers/w1/experiments/" + E + "/logs", line.replace("media changed by hand", "after the bad ones"))
        .status()).isEqualTo(202);
    await("the line after the bad ones", "/api/workers/w1/experiments/" + E + "/logs", "log_entries",
        a -> objects((JsonArray) a).stream().anyMatch(r -> r.getString("message").equals("after the bad ones")));
    assertThat(c.http.get("/api/logs?unit=w1&limit=1000").body()).doesNotContain("must not be stored");
  }

  // ---- running jobs and their settings

  @Test
  @Order(50)
  @DisplayName("a unit's running jobs come as upstream's task (202) whose result, keyed by unit, lists w1's four jobs as pio_job_metadata rows, under /api/units and /api/workers")
  void runningJobs() {
    for (String prefix : List.of("/api/units/", "/api/workers/")) {
      JsonObject result = runningJobsResult(prefix + "w1/jobs/running").getJsonObject("result");
      assertThat(result.fieldNames()).as(prefix).containsExactly("w1");
      List<JsonObject> rows = objects(result.getJsonObject("w1").getJsonArray("value")).stream()
          .filter(r -> E.equals(r.getString("experiment"))).toList();
      assertThat(rows.stream().map(r -> r.getString("job_name")).toList()).as(prefix + " w1's jobs in " + E).containsAll(W1_JOBS);
      for (JsonObject row : rows) {
        assertThat(row.getString("unit")).isEqualTo("w1");
        assertThat(row.getValue("ended_at")).as("a running job has not ended").isNull();
        assertThat(Instant.parse(row.getString("started_at"))).as(row.getString("job_name") + " started in this test")
            .isAfter(started.minusSeconds(5));
      }
    }
  }

  @Test
  @Order(51)
  @DisplayName("$broadcast's running jobs hold an entry per worker, w2's without w1's jobs; an unknown unit is refused with 400")
  void runningJobsEverywhere() {
    JsonObject result = runningJobsResult("/api/units/" + Topics.BROADCAST + "/jobs/running").getJsonObject("result");
    assertThat(result.fieldNames()).contains("w1", "w2");
    assertThat(objects(result.getJsonObject("w2").getJsonArray("value")).stream().filter(r -> E.equals(r.getString("experiment")))
        .map(r -> r.getString("job_name")).toList()).as("w2 runs nothing in " + E).isEmpty();
    expect("GET", "/api/units/nobody/jobs/running", null, 400, "error");
  }

  @Test
  @Order(60)
  @DisplayName("PATCH jobs/update sets w1's stirring target_rpm (202 accepted) and the worker applies it, as its retained target_rpm shows; a body without settings is refused with 400")
  void updateJobSetting() {
    String topic = Topics.job("w1", E, Jobs.STIRRING, "target_rpm");
    Cluster.awaitTrue("w1's retained target_rpm", SOON, () -> c.retained.get(topic) != null);
    assertThat(Double.parseDouble(c.retained.get(topic))).as("stirring's target before the update").isNotEqualTo(300.0);
    expect("PATCH", "/api/workers/w1/jobs/update/job_name/" + Jobs.STIRRING + "/experiments/" + E,
        "{\"settings\": {\"target_rpm\": 300}}", 202, "accepted");
    Cluster.awaitTrue("w1's stirring at 300 rpm", SOON, () -> Double.parseDouble(c.retained.get(topic)) == 300.0, c.daemon("w1"));
    expect("PATCH", "/api/units/w1/jobs/update/job_name/" + Jobs.STIRRING + "/experiments/" + E,
        "{\"settings\": {\"target_rpm\": 250}}", 202, "accepted");
    Cluster.awaitTrue("w1's stirring at 250 rpm", SOON, () -> Double.parseDouble(c.retained.get(topic)) == 250.0, c.daemon("w1"));
    expect("PATCH", "/api/workers/w1/jobs/update/job_name/" + Jobs.STIRRING + "/experiments/" + E, "{}", 400, "error");
  }

  // ---- export (ours)

  @Test
  @Order(70)
  @DisplayName("the experiment's CSV export has a header naming timestamp and pioreactor_unit, and w1's od_readings rows")
  void csvExport() {
    String path = "/api/experiments/" + E + "/export";
    AtomicReference<Http.Response> last = new AtomicReference<>();
    awaitOrExplain("w1's rows in the export", last, () -> {
      Http.Response r = c.http.get(path);
      last.set(r);
      assertThat(r.status()).as("GET " + path + ": " + abbreviate(r.body())).isEqualTo(200);
      return r.body().lines().skip(1).anyMatch(l -> l.contains("w1"));
    });
    String csv = last.get().body();
    assertThat(csv.lines().findFirst().orElse("")).as("the header").contains("timestamp").contains("pioreactor_unit");
    assertThat(csv).as("od_readings in the export").contains("od_reading");
  }

  // ---- assignments (last: it unassigns w2)

  @Test
  @Order(100)
  @DisplayName("historical worker assignments list both workers as currently assigned, then w2 as no longer assigned once unassigned")
  void historicalAssignments() {
    String path = "/api/experiments/" + E + "/historical_worker_assignments";
    assertThat(assignedByUnit((JsonArray) get(path, "historical_worker_assignments"))).isEqualTo(Map.of("w1", 1, "w2", 1));
    expect("DELETE", "/api/experiments/" + E + "/workers/w2", null, 200, "success");
    JsonArray after = (JsonArray) get(path, "historical_worker_assignments");
    assertThat(assignedByUnit(after)).isEqualTo(Map.of("w1", 1, "w2", 0));
    assertThat(objects(after).stream().map(r -> r.getString("experiment")).collect(Collectors.toSet())).containsOnly(E);
  }

  // ---- helpers

  /** Sends, checks the status and the body's schema, returns the body. */
  private static Object expect(String method, String path, String body, int status, String schema) {
    Http.Response r = c.http.send(method, path, body);
    assertThat(r.status()).as(method + " " + path + ": " + abbreviate(r.body())).isEqualTo(status);
    Object json = Json.decodeValue(r.body());
    assertThat(SCHEMAS.check(schema, json)).as(method + " " + path + " against schema " + schema + ": " + abbreviate(r.body())).isEmpty();
    return json;
  }

  private static Object get(String path, String schema) {
    return expect("GET", path, null, 200, schema);
  }

  /**
   * Polls GET {@code path} until its answer passes {@code done}. Any answer but 200 in {@code schema} fails at once:
   * upstream answers 200 (with empty data) while there is nothing yet, so only the content is waited for.
   */
  private static Object await(String what, String path, String schema, Predicate<Object> done) {
    AtomicReference<Http.Response> last = new AtomicReference<>();
    awaitOrExplain(what, last, () -> {
      Http.Response r = c.http.get(path);
      last.set(r);
      assertThat(r.status()).as("GET " + path + ": " + abbreviate(r.body())).isEqualTo(200);
      Object json = Json.decodeValue(r.body());
      assertThat(SCHEMAS.check(schema, json)).as("GET " + path + " against schema " + schema + ": " + abbreviate(r.body())).isEmpty();
      return done.test(json);
    });
    return Json.decodeValue(last.get().body());
  }

  /** {@link Cluster#awaitTrue}, with the last answer in the message when it times out. */
  private static void awaitOrExplain(String what, AtomicReference<Http.Response> last, java.util.function.Supplier<Boolean> done) {
    try {
      Cluster.awaitTrue(what, READINGS, done, c.daemon("w1"), c.daemon("leader-daemon"));
    } catch (AssertionError e) {
      Http.Response r = last.get();
      throw new AssertionError(e.getMessage() + (r == null ? "" : "\n--- last answer: " + r.status() + " " + abbreviate(r.body())), e);
    }
  }

  /** A time series, waited for until {@code done}, then checked as upstream builds it. */
  private static JsonObject awaitSeries(String path, Predicate<JsonObject> done) {
    JsonObject ts = (JsonObject) await("readings in " + path, path, "time_series", x -> done.test((JsonObject) x));
    assertWellFormed(ts, path);
    return ts;
  }

  /**
   * What the schema cannot say: one data list per series, distinct names, no empty series (upstream skips a unit or
   * channel without points), each point's x an ISO-8601 instant of this test's readings, in time order.
   */
  private static void assertWellFormed(JsonObject ts, String what) {
    List<String> names = series(ts);
    JsonArray data = ts.getJsonArray("data");
    assertThat(data.size()).as(what + ": one data list per series").isEqualTo(names.size());
    assertThat(names).as(what + ": series").doesNotHaveDuplicates();
    Instant now = Instant.now();
    for (int i = 0; i < names.size(); i++) {
      List<JsonObject> points = objects(data.getJsonArray(i));
      assertThat(points).as(what + ": points of " + names.get(i)).isNotEmpty();
      Instant previous = Instant.MIN;
      for (JsonObject p : points) {
        Instant x = Instant.parse(p.getString("x"));
        assertThat(x).as(what + ": x of " + names.get(i) + " in time order, from this test's readings")
            .isAfterOrEqualTo(previous).isAfter(started.minusSeconds(5)).isBefore(now.plusSeconds(5));
        previous = x;
      }
    }
  }

  private static List<String> series(JsonObject ts) {
    return ts.getJsonArray("series").stream().map(String.class::cast).toList();
  }

  private static JsonArray points(JsonObject ts, String name) {
    int i = series(ts).indexOf(name);
    return i < 0 ? new JsonArray() : ts.getJsonArray("data").getJsonArray(i);
  }

  /** Upstream's validate_published_settings_descriptors: distinct keys, a label where displayed, min <= max. */
  private static void assertValidPublishedSettings(JsonArray settings, String what) {
    List<JsonObject> all = objects(settings);
    assertThat(all.stream().map(s -> s.getString("key")).toList()).as(what + ": setting keys").doesNotHaveDuplicates();
    for (JsonObject s : all) {
      if (Boolean.TRUE.equals(s.getValue("display"))) {
        assertThat(s.getString("label")).as(what + "." + s.getString("key") + ": a displayed setting has a label").isNotBlank();
      }
      if (s.getValue("min") instanceof Number min && s.getValue("max") instanceof Number max) {
        assertThat(min.doubleValue()).as(what + "." + s.getString("key") + ": min <= max").isLessThanOrEqualTo(max.doubleValue());
      }
    }
  }

  /** A row of {@code unit} in this experiment from one of w1's jobs (its task, or its message naming the job). */
  private static boolean hasJobLineOf(JsonArray rows, String unit) {
    return objects(rows).stream().anyMatch(r -> unit.equals(r.getString("pioreactor_unit")) && E.equals(r.getString("experiment"))
        && W1_JOBS.stream().anyMatch(j -> j.equals(r.getString("task")) || r.getString("message", "").contains(j)));
  }

  private static void assertNewestFirst(JsonArray rows, String what) {
    List<Instant> times = objects(rows).stream().map(r -> Instant.parse(r.getString("timestamp"))).toList();
    for (int i = 1; i < times.size(); i++) {
      assertThat(times.get(i)).as(what + ": newest first, row " + i).isBeforeOrEqualTo(times.get(i - 1));
    }
  }

  /** GET a running-jobs route: a 202 task, then its result polled until done. */
  private static JsonObject runningJobsResult(String path) {
    JsonObject task = (JsonObject) expect("GET", path, null, 202, "task");
    String resultPath = task.getString("result_url_path");
    AtomicReference<Http.Response> last = new AtomicReference<>();
    awaitOrExplain("the result of " + path, last, () -> {
      Http.Response r = c.http.get(resultPath);
      last.set(r);
      return r.status() != 202; // 202: pending or running
    });
    Http.Response r = last.get();
    assertThat(r.status()).as("GET " + resultPath + ": " + abbreviate(r.body())).isEqualTo(200);
    Object json = Json.decodeValue(r.body());
    assertThat(SCHEMAS.check("running_jobs_task_result", json)).as("GET " + resultPath + ": " + abbreviate(r.body())).isEmpty();
    return (JsonObject) json;
  }

  private static Map<String, Integer> assignedByUnit(JsonArray rows) {
    return objects(rows).stream().collect(Collectors.toMap(r -> r.getString("pioreactor_unit"),
        r -> r.getInteger("is_currently_assigned_to_experiment")));
  }

  private static List<JsonObject> objects(JsonArray a) {
    return a.stream().map(JsonObject.class::cast).toList();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static String abbreviate(String s) {
    return s == null || s.length() <= 600 ? s : s.substring(0, 600) + "…";
  }
}
