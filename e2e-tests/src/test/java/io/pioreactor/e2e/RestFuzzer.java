package io.pioreactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.protocol.Jobs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Bad requests to every route of the leader's API: each endpoint's valid body with fields made hostile, missing or
 * extra, broken JSON, random bytes, deep nesting, oversize bodies, hostile path segments and queries. After each,
 * a rejected request (4xx) must have left the leader's tables exactly as they were.
 */
final class RestFuzzer {
  private static final Duration NO_HANG = Duration.ofSeconds(15);

  /** A request shape: path template with {unit}, {experiment}, {job} placeholders and a valid body to mutate. */
  record Endpoint(String method, String path, JsonObject body, boolean destructive) {}

  /** Every route of the leader's API (HttpApi, UpstreamRoutes): FuzzTest#everyRouteIsFuzzed keeps this in step. */
  static final List<Endpoint> ENDPOINTS = List.of(
      new Endpoint("GET", "/api/health", null, false),
      new Endpoint("GET", "/api/events", null, false),
      new Endpoint("GET", "/api/workers", null, false),
      new Endpoint("GET", "/api/workers/{unit}", null, false),
      new Endpoint("GET", "/api/workers/{unit}/experiment", null, false),
      new Endpoint("GET", "/api/workers/assignments", null, false),
      new Endpoint("DELETE", "/api/workers/assignments", null, true),
      new Endpoint("GET", "/api/workers/discover", null, false),
      new Endpoint("GET", "/api/units", null, false),
      new Endpoint("GET", "/api/units/{unit}/activities", null, false),
      new Endpoint("GET", "/api/units/{unit}/jobs/history", null, false),
      new Endpoint("GET", "/api/experiments", null, false),
      new Endpoint("GET", "/api/experiments/{experiment}/workers", null, false),
      new Endpoint("GET", "/api/experiments/{experiment}/profiles/running", null, false),
      new Endpoint("GET", "/api/profiles", null, false),
      new Endpoint("GET", "/api/logs", null, false),
      new Endpoint("GET", "/api/session", null, false),
      new Endpoint("GET", "/api/leader/export", null, false),
      new Endpoint("GET", "/api/config/shared", null, false),
      new Endpoint("PATCH", "/api/config/shared", new JsonObject().put("code",
          "[cluster.topology]\n[mqtt]\n[stirring.config]\ninitial_target_rpm=450\n"), false),
      new Endpoint("GET", "/api/config/shared/history", null, false),
      new Endpoint("GET", "/api/config/units/{unit}", null, false),
      new Endpoint("GET", "/api/config/units/{unit}/specific", null, false),
      new Endpoint("PATCH", "/api/config/units/{unit}/specific", new JsonObject().put("code", "[stirring.config]\ninitial_target_rpm=300\n"), false),
      new Endpoint("GET", "/api/config/units/{unit}/specific/history", null, false),
      new Endpoint("GET", "/api/config/status", null, false),
      new Endpoint("POST", "/api/config/sync", new JsonObject().put("units", new io.vertx.core.json.JsonArray().add("w1"))
          .put("timeout_seconds", 1), false),
      new Endpoint("GET", "/api/config/zipped", null, false),
      new Endpoint("GET", "/api/models", null, false),
      new Endpoint("GET", "/api/jobs/descriptors", null, false),
      new Endpoint("GET", "/api/experiments/latest", null, false),
      new Endpoint("GET", "/api/local_access_point", null, false),
      new Endpoint("GET", "/api/workers/{unit}/model", null, false),
      new Endpoint("PUT", "/api/workers/{unit}/model", new JsonObject().put("model_name", "pioreactor_20ml").put("model_version", "1.5"), false),
      new Endpoint("GET", "/unit_api/health", null, false),
      new Endpoint("GET", "/unit_api/system/disk_space", null, false),
      new Endpoint("GET", "/unit_api/system/ipv4", null, false),
      new Endpoint("GET", "/unit_api/system/memory", null, false),
      new Endpoint("GET", "/unit_api/system/utc_clock", null, false),
      new Endpoint("GET", "/unit_api/system/web_server/status", null, false),
      new Endpoint("GET", "/unit_api/system/path/", null, false),
      new Endpoint("GET", "/unit_api/system/path/{path}", null, false),
      new Endpoint("GET", "/unit_api/long_running_jobs/running", null, false),
      new Endpoint("GET", "/unit_api/versions/app", null, false),
      new Endpoint("GET", "/unit_api/usb", null, false),
      new Endpoint("GET", "/unit_api/task_results/{id}", null, false),
      new Endpoint("POST", "/api/units/{unit}/system/shutdown", null, false),
      new Endpoint("PATCH", "/api/workers/{unit}/jobs/run/job_name/{job}/experiments/{experiment}", new JsonObject()
          .put("options", new JsonObject().put("target_rpm", 400)).put("args", new JsonArray()), false),
      new Endpoint("PATCH", "/api/units/{unit}/jobs/run/job_name/{job}/experiments/{experiment}", new JsonObject()
          .put("options", new JsonObject().put("target_rpm", 400)).put("args", new JsonArray()), false),
      new Endpoint("PATCH", "/api/units/{unit}/jobs/stop/job_name/{job}/experiments/{experiment}", null, true),
      new Endpoint("PATCH", "/api/units/{unit}/jobs/stop/experiments/{experiment}", null, true),
      new Endpoint("POST", "/api/workers/setup", new JsonObject().put("name", "w1").put("ipv4_address", "127.0.0.1")
          .put("model", "pioreactor_40ml").put("version", "1.0"), false),
      new Endpoint("PUT", "/api/workers", new JsonObject().put("pioreactor_unit", "fz-direct").put("model_name", "pioreactor_40ml")
          .put("model_version", "1.0"), false),
      new Endpoint("PUT", "/api/workers/{unit}/is_active", new JsonObject().put("is_active", 1), false),
      new Endpoint("DELETE", "/api/workers/{unit}", null, true),
      new Endpoint("POST", "/api/workers/{unit}/blink", null, false),
      new Endpoint("POST", "/api/workers/{unit}/rename", new JsonObject().put("new_name", "fz-renamed"), true),
      new Endpoint("POST", "/api/workers/{unit}/jobs/run/job_name/{job}/experiments/{experiment}", new JsonObject()
          .put("options", new JsonObject().put("target_rpm", 400)).put("args", new JsonArray()), false),
      new Endpoint("POST", "/api/workers/{unit}/jobs/stop", new JsonObject().put("job", "od_reading").put("experiment", "e1"), true),
      new Endpoint("POST", "/api/workers/{unit}/jobs/stop/experiments/{experiment}", null, true),
      new Endpoint("POST", "/api/workers/{unit}/jobs/stop/job_name/{job}/experiments/{experiment}", null, true),
      new Endpoint("POST", "/api/units/{unit}/system/reboot", null, false),
      // Clocks (ClockRoutes): a sync runs each unit's clock_sync_command (the e2e workers': `true`).
      new Endpoint("GET", "/api/clocks", null, false),
      new Endpoint("POST", "/api/clocks/sync", new JsonObject().put("units", new io.vertx.core.json.JsonArray().add("w1")), false),
      new Endpoint("GET", "/api/units/{unit}/system/utc_clock", null, false),
      new Endpoint("POST", "/api/units/{unit}/system/utc_clock", null, false),
      new Endpoint("POST", "/api/system/utc_clock", new JsonObject().put("utc_clock_time", "2026-12-02T10:00:00Z"), false),
      new Endpoint("GET", "/unit_api/system/utc_clock", null, false),
      new Endpoint("POST", "/api/experiments", new JsonObject().put("experiment", "fz-exp").put("description", "made by the fuzzer"), false),
      new Endpoint("PUT", "/api/experiments/{experiment}/workers", new JsonObject().put("pioreactor_unit", "w1"), false),
      new Endpoint("DELETE", "/api/experiments/{experiment}/workers", null, true),
      new Endpoint("DELETE", "/api/experiments/{experiment}/workers/{unit}", null, true),
      new Endpoint("POST", "/api/profiles", new JsonObject().put("content", "experiment_profile_name: fz\nmetadata: {author: x}\n"), false),
      new Endpoint("POST", "/api/experiments/{experiment}/profiles/run", new JsonObject().put("experiment_profile_name", "fz")
          .put("dry_run", true), false),
      new Endpoint("POST", "/api/experiments/{experiment}/profiles/stop", new JsonObject().put("experiment_profile_name", "fz"), true),
      new Endpoint("POST", "/api/session", new JsonObject().put("username", "a").put("password", "b"), false),
      new Endpoint("DELETE", "/api/session", null, false),
      new Endpoint("POST", "/api/leader/import", null, true),
      // An experiment's data (ExperimentDataRoutes) and upstream's descriptors and running jobs (UpstreamRoutes).
      new Endpoint("GET", "/api/experiments/{experiment}/time_series/{table}", null, false),
      new Endpoint("GET", "/api/experiments/{experiment}/time_series/{table}/{column}", null, false),
      new Endpoint("GET", "/api/workers/{unit}/experiments/{experiment}/time_series/{table}", null, false),
      new Endpoint("GET", "/api/workers/{unit}/experiments/{experiment}/time_series/{table}/{column}", null, false),
      new Endpoint("GET", "/api/experiments/{experiment}/logs", null, false),
      new Endpoint("GET", "/api/experiments/{experiment}/recent_logs", null, false),
      new Endpoint("GET", "/api/workers/{unit}/experiments/{experiment}/logs", null, false),
      new Endpoint("GET", "/api/workers/{unit}/experiments/{experiment}/recent_logs", null, false),
      new Endpoint("GET", "/api/units/{unit}/system_logs", null, false),
      new Endpoint("GET", "/api/units/{unit}/logs", null, false),
      new Endpoint("POST", "/api/workers/{unit}/experiments/{experiment}/logs", new JsonObject().put("message", "fuzz")
          .put("source", "ui").put("level", "INFO").put("timestamp", "2026-12-02T10:00:00Z"), false),
      new Endpoint("POST", "/api/units/{unit}/experiments/{experiment}/logs", new JsonObject().put("message", "fuzz")
          .put("source", "ui").put("level", "INFO").put("timestamp", "2026-12-02T10:00:00Z"), false),
      new Endpoint("GET", "/api/experiments/{experiment}/export", null, false),
      new Endpoint("GET", "/api/experiments/{experiment}/unit_labels", null, false),
      new Endpoint("PUT", "/api/experiments/{experiment}/unit_labels", new JsonObject().put("unit", "w1").put("label", "fz label"), false),
      new Endpoint("PATCH", "/api/experiments/{experiment}/unit_labels", new JsonObject().put("unit", "w1").put("label", ""), false),
      new Endpoint("GET", "/api/experiments/{experiment}/historical_worker_assignments", null, false),
      new Endpoint("GET", "/api/experiments/{experiment}/experiment_profiles/recent", null, false),
      new Endpoint("GET", "/api/experiments/{experiment}/experiment_profiles/running", null, false),
      new Endpoint("GET", "/api/workers/{unit}/jobs/descriptors", null, false),
      new Endpoint("GET", "/api/settings/descriptors", null, false),
      new Endpoint("GET", "/api/workers/{unit}/settings/descriptors", null, false),
      new Endpoint("GET", "/api/automations/descriptors/{type}", null, false),
      new Endpoint("GET", "/api/workers/{unit}/automations/descriptors/{type}", null, false),
      new Endpoint("GET", "/api/charts/descriptors", null, false),
      new Endpoint("GET", "/api/units/{unit}/jobs/running", null, false),
      new Endpoint("GET", "/api/workers/{unit}/jobs/running", null, false),
      new Endpoint("PATCH", "/api/workers/{unit}/jobs/update/job_name/{job}/experiments/{experiment}",
          new JsonObject().put("settings", new JsonObject().put("target_rpm", 300)), false),
      new Endpoint("PATCH", "/api/units/{unit}/jobs/update/job_name/{job}/experiments/{experiment}",
          new JsonObject().put("settings", new JsonObject().put("$state", "sleeping")), false));

  /** Path segments: valid ones (so handlers are reached) and hostile ones, already URL-encoded where needed. */
  private static final List<String> UNITS = List.of("w1", "ghost", "leader", "%24broadcast", "..", "%2e%2e%2f", "a%20b",
      "%F0%9F%A7%AA", "%24(reboot)", "x".repeat(300), "%00", "UPPER", "-lead", "w1;reboot", "%3Bls", "%FF");
  private static final List<String> EXPERIMENTS = List.of("e1", "fz-exp", "nope", "%24experiment", "%2e%2e", "a%20b",
      "%F0%9F%A7%AA", "%00", "x".repeat(500), "%27%20OR%201%3D1");
  private static final List<String> JOBS = List.of(Jobs.STIRRING, Jobs.OD_READING, Jobs.LED_INTENSITY, Jobs.ADD_MEDIA,
      "monitor", "nope", "%24(id)", "..", "x".repeat(200));
  private static final List<String> QUERIES = List.of("", "?limit=-1", "?limit=abc", "?limit=99999999999999999999",
      "?limit=0", "?unit=%00", "?unit=" + "y".repeat(2000), "?limit=1&limit=2", "?%%%", "?unit=%24(reboot)");

  private final Random random;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  RestFuzzer(Random random) {
    this.random = random;
  }

  /** Sends {@code cases} requests to the leader at {@code base}; returns how many were sent. */
  int run(String base, Connection db, int cases) throws Exception {
    String before = snapshot(db);
    int refused = 0;
    int accepted = 0;
    Map<Integer, Integer> byStatus = new TreeMap<>();
    for (int i = 0; i < cases; i++) {
      Endpoint e = ENDPOINTS.get(i < ENDPOINTS.size() ? i : random.nextInt(ENDPOINTS.size()));
      String path = fill(e);
      if ("GET".equals(e.method())) {
        path += QUERIES.get(random.nextInt(QUERIES.size()));
      }
      String body = body(e);
      int status = send(base, e.method(), path, body);
      byStatus.merge(status, 1, Integer::sum);
      String what = e.method() + " " + FuzzInputs.abbreviate(path) + " " + FuzzInputs.abbreviate(body);
      assertThat(status).as("no answer in %s (a hang or a crash): %s", NO_HANG, what).isPositive();
      // 504 is the honest answer when the request asks a unit that does not answer in time (a valid name with
      // no worker behind it); it changes nothing either. Any other 5xx is a bug.
      boolean asksAUnit = path.contains("/setup") || path.contains("/jobs/") || path.contains("/blink")
          || path.contains("/system/") || path.contains("/rename");
      if (!(status == 504 && asksAUnit)) {
        assertThat(status).as("a server error: %s -> %d", what, status).isLessThan(500);
      }
      String after = snapshot(db);
      if (status >= 400) {
        refused++;
        assertThat(after).as("a rejected request changed the leader's tables: %s -> %d", what, status).isEqualTo(before);
      } else {
        accepted++;
      }
      before = after;
    }
    System.out.println("REST fuzz: " + refused + " rejected (tables unchanged), " + accepted + " accepted; by status " + byStatus);
    return cases;
  }

  private String fill(Endpoint e) {
    List<String> units = e.destructive() ? UNITS.subList(1, UNITS.size()) : UNITS;
    List<String> experiments = e.destructive() ? EXPERIMENTS.subList(1, EXPERIMENTS.size()) : EXPERIMENTS;
    return e.path().replace("{unit}", units.get(random.nextInt(units.size())))
        .replace("{experiment}", experiments.get(random.nextInt(experiments.size())))
        .replace("{job}", JOBS.get(random.nextInt(JOBS.size())))
        .replace("{table}", List.of("od_readings", "growth_rates", "stirring_rates", "sqlite_master", "x;drop", "..").get(random.nextInt(6)))
        .replace("{column}", List.of("od_reading", "rate", "measured_rpm", "rowid", "1=1").get(random.nextInt(5)))
        .replace("{type}", List.of("temperature", "dosing", "led", "..", "x".repeat(300)).get(random.nextInt(5)))
        .replace("{path}", List.of("..", "%2e%2e/etc/passwd", "pioreactor.sqlite", "broker", "a/../../b", "x".repeat(2000),
            "%00", "leader/").get(random.nextInt(8)))
        .replace("{id}", List.of("nope", "00000000-0000-0000-0000-000000000000", "%24(id)", "x".repeat(400), "..").get(random.nextInt(5)));
  }

  /** A body for {@code e}: its valid shape with some fields made hostile, fields missing or added, or no JSON at all. */
  private String body(Endpoint e) {
    int kind = random.nextInt(10);
    if (e.body() == null || kind == 0) {
      return switch (random.nextInt(7)) {
        case 0 -> null;
        case 1 -> "";
        case 2 -> "{\"a\": ";
        case 3 -> "[".repeat(20_000) + "]".repeat(20_000); // deep nesting under the size limit
        case 4 -> "{\"x\": \"" + "y".repeat(70_000) + "\"}"; // over the size limit
        case 5 -> new String(FuzzInputs.randomBytes(random, random.nextInt(300)), StandardCharsets.ISO_8859_1);
        default -> String.valueOf(FuzzInputs.hostile(random) instanceof String s ? new JsonArray().add(s).encode() : FuzzInputs.hostile(random));
      };
    }
    JsonObject b = e.body().copy();
    List<String> fields = new ArrayList<>(b.fieldNames());
    switch (kind) {
      case 1 -> b.remove(fields.get(random.nextInt(fields.size())));
      case 2 -> b.put("$(reboot)", FuzzInputs.hostile(random)).put("extra", FuzzInputs.hostile(random));
      case 3 -> {
        return b.encode().substring(0, random.nextInt(b.encode().length()));
      }
      default -> {
        int n = 1 + random.nextInt(fields.size());
        for (int k = 0; k < n; k++) {
          b.put(fields.get(random.nextInt(fields.size())), FuzzInputs.hostile(random));
        }
      }
    }
    return b.encode();
  }

  /** The status, or -1 for no answer in time. Only the status line is waited for: the event stream never ends. */
  private int send(String base, String method, String path, String body) {
    try {
      HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(NO_HANG)
          .header("content-type", "application/json")
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
          .build();
      HttpResponse<java.io.InputStream> res = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
      try (java.io.InputStream in = res.body()) {
        if (!path.startsWith("/api/events")) { // a stream: its status line is the answer
          in.readNBytes(64 * 1024);
        }
      }
      return res.statusCode();
    } catch (IllegalArgumentException badUri) {
      return 400; // a path the client itself will not send: nothing reached the leader
    } catch (java.io.IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The rows a rejected request must not touch. */
  static String snapshot(Connection db) throws Exception {
    StringBuilder out = new StringBuilder();
    for (String sql : List.of("SELECT * FROM workers ORDER BY pioreactor_unit", "SELECT * FROM experiments ORDER BY experiment",
        "SELECT * FROM experiment_worker_assignments ORDER BY pioreactor_unit",
        "SELECT * FROM experiment_worker_assignments_history ORDER BY rowid", "SELECT * FROM experiment_profiles ORDER BY rowid")) {
      try (var st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
        int cols = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          for (int i = 1; i <= cols; i++) {
            out.append(rs.getString(i)).append('|');
          }
          out.append('\n');
        }
      }
      out.append("--\n");
    }
    return out.toString();
  }
}
