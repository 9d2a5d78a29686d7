package io.pioreactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Protocol;
import io.pioreactor.protocol.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
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

  /** A request shape: path template with {unit}, {experiment}, {job} placeholders and a valid body to mutate. */
  record Endpoint(String method, String path, JsonObject body, boolean destructive) {}

  /** Every route of the leader's API (HttpApi): keep in step with it. */
  private static final List<Endpoint> ENDPOINTS = List.of(
      new Endpoint("GET", "/api/health", null, false),
      new Endpoint("GET", "/api/events", null, false),
      new Endpoint("GET", "/api/workers", null, false),
      new Endpoint("GET", "/api/workers/{unit}", null, false),
      new Endpoint("GET", "/api/workers/{unit}/experiment", null, false),
      new Endpoint("GET", "/api/workers/assignments", null, false),
      new Endpoint("GET", "/api/workers/discover", null, false),
      new Endpoint("GET", "/api/units", null, false),
      new Endpoint("GET", "/api/units/{unit}/jobs/running", null, false),
      new Endpoint("GET", "/api/units/{unit}/jobs/history", null, false),
      new Endpoint("GET", "/api/experiments", null, false),
      new Endpoint("GET", "/api/experiments/{experiment}/workers", null, false),
      new Endpoint("GET", "/api/experiments/{experiment}/profiles/running", null, false),
      new Endpoint("GET", "/api/profiles", null, false),
      new Endpoint("GET", "/api/logs", null, false),
      new Endpoint("GET", "/api/session", null, false),
      new Endpoint("GET", "/api/leader/export", null, false),
      new Endpoint("GET", "/api/config/shared", null, false),
      new Endpoint("GET", "/api/models", null, false),
      new Endpoint("GET", "/api/jobs/descriptors", null, false),
      new Endpoint("GET", "/api/experiments/latest", null, false),
      new Endpoint("GET", "/api/local_access_point", null, false),
      new Endpoint("GET", "/api/workers/{unit}/model", null, false),
      new Endpoint("PUT", "/api/workers/{unit}/model", new JsonObject().put("model_name", "pioreactor_20ml").put("model_version", "1.5"), false),
      new Endpoint("GET", "/unit_api/health", null, false),
      new Endpoint("GET", "/unit_api/system/disk_space", null, false),
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
      new Endpoint("POST", "/api/leader/import", null, true));

  /** Values that are wrong for almost every field: wrong types, huge, unicode, shell metacharacters. */
  private static final List<Object> HOSTILE = List.of(0, -1, 1e308, 3.5, Long.MAX_VALUE, true, "", " ", "x".repeat(70_000),
      "x".repeat(300), "é🧪漢字\u202e", "$(reboot)", "; rm -rf / #", "`id`", "../../etc/passwd", "a\u0000b", "a\nb\r\n",
      "%s%n%x", "<script>alert(1)</script>", "NaN", "-Infinity", "1e400", new JsonArray().add(1).add("two"),
      new JsonObject().put("nested", new JsonObject().put("deeper", new JsonArray())), "' OR 1=1; DROP TABLE workers; --");

  /** Path segments: valid ones (so handlers are reached) and hostile ones, already URL-encoded where needed. */
  private static final List<String> UNITS = List.of("w1", "ghost", "leader", "%24broadcast", "..", "%2e%2e%2f", "a%20b",
      "%F0%9F%A7%AA", "%24(reboot)", "x".repeat(300), "%00", "UPPER", "-lead", "w1;reboot", "%3Bls", "%FF");
  private static final List<String> EXPERIMENTS = List.of("e1", "fz-exp", "nope", "%24experiment", "%2e%2e", "a%20b",
      "%F0%9F%A7%AA", "%00", "x".repeat(500), "%27%20OR%201%3D1");
  private static final List<String> JOBS = List.of(Jobs.STIRRING, Jobs.OD_READING, Jobs.LED_INTENSITY, Jobs.ADD_MEDIA,
      "monitor", "nope", "%24(id)", "..", "x".repeat(200));
  private static final List<String> QUERIES = List.of("", "?limit=-1", "?limit=abc", "?limit=99999999999999999999",
      "?limit=0", "?unit=%00", "?unit=" + "y".repeat(2000), "?limit=1&limit=2", "?%%%", "?unit=%24(reboot)");

  private final long seed = Long.getLong("fuzz.seed", System.nanoTime());
  private final Random random = new Random(seed);
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * The fuzz list stays in step with the leader: every route that HttpApi declares with a literal path (the loop-made
   * job routes are listed above by hand) is in {@link #ENDPOINTS}.
   */
  @Test
  @DisplayName("every route the leader's HttpApi declares is in the fuzz list")
  void everyRouteIsFuzzed() throws Exception {
    String source = java.nio.file.Files.readString(DaemonProcess.ROOT.resolve(
        "leader-daemon/src/main/java/io/pioreactor/leader/api/HttpApi.java"));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\.(get|post|put|delete|patch)\\(\"(/[^\"]*)\"").matcher(source);
    java.util.Set<String> fuzzed = new java.util.HashSet<>();
    ENDPOINTS.forEach(e -> fuzzed.add(e.method() + " " + e.path().replaceAll("\\{[a-z]+}", ":x")));
    List<String> missing = new ArrayList<>();
    int declared = 0;
    while (m.find()) {
      declared++;
      String route = m.group(1).toUpperCase() + " " + m.group(2).replaceAll(":[a-z]+", ":x").replaceAll("/$", "");
      if (!fuzzed.contains(route)) {
        missing.add(route);
      }
    }
    assertThat(declared).as("routes found in HttpApi.java").isGreaterThan(30);
    assertThat(missing).as("routes of HttpApi missing from FuzzTest.ENDPOINTS").isEmpty();
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
        String inventoryBefore = snapshot(db);
        String rpmBefore = c.retained.get(Topics.job("w1", "e1", Jobs.STIRRING, "target_rpm"));
        String workerBefore = c.http.get("/api/workers/w1").body();
        int mqttCases = fuzzMqtt(c, CASES / 3);
        java.util.concurrent.atomic.AtomicReference<String> running = new java.util.concurrent.atomic.AtomicReference<>();
        try {
          Cluster.awaitTrue("both daemons still answer", NO_HANG, () -> {
            Http.Response r = c.http.get("/api/units/w1/jobs/running");
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
        assertThat(snapshot(db)).as("the leader's tables after the MQTT fuzz").isEqualTo(inventoryBefore);
        c.watchAgain(); // the watcher saw the fuzz go by: read what the broker retains now
        Cluster.awaitTrue("the retained state read again", NO_HANG, () -> c.retained.containsKey(Topics.monitorState("w1"))
            && c.retained.containsKey(Topics.job("w1", "e1", Jobs.STIRRING, "target_rpm")));
        assertThat(c.retained.get(Topics.jobState("w1", "e1", Jobs.STIRRING))).isEqualTo("ready");
        assertThat(c.retained.get(Topics.job("w1", "e1", Jobs.STIRRING, "target_rpm"))).isEqualTo(rpmBefore);
        assertThat(c.retained.get(Topics.monitorState("w1"))).isEqualTo("ready");
        assertThat(new JsonObject(c.http.get("/api/workers/w1").body()).getString("state"))
            .isEqualTo(new JsonObject(workerBefore).getString("state"));

        int restCases = fuzzRest(base, db, CASES - mqttCases);
        assertThat(c.daemon("leader-daemon").isAlive()).isTrue();
        assertThat(c.daemon("w1").isAlive()).isTrue();
        assertThat(c.http.get("/api/health").status()).isEqualTo(200);
        assertThat(c.rows("PRAGMA integrity_check").get(0).values().iterator().next()).isEqualTo("ok");
        System.out.println("fuzz cases: " + mqttCases + " MQTT messages + " + restCases + " HTTP requests = " + (mqttCases + restCases));
        assertThat(mqttCases + restCases).isGreaterThanOrEqualTo(Math.min(CASES, 10_000));
      }
    }
  }

  private int fuzzMqtt(Cluster c, int cases) throws Exception {
    List<String> topics = new ArrayList<>();
    for (String unit : List.of("w1", Topics.BROADCAST)) {
      for (String command : List.of(Protocol.HANDSHAKE, Protocol.REBOOT, Protocol.RUN_JOB, Protocol.STOP_JOBS, Protocol.RENAME, "nope")) {
        topics.add(Topics.command(unit, command));
      }
      topics.add(Topics.flickerLed(unit));
      for (String job : List.of(Jobs.STIRRING, Jobs.LED_INTENSITY, Jobs.OD_READING, Jobs.ADD_MEDIA, "nope")) {
        for (String setting : List.of(Topics.STATE, "target_rpm", "duty_cycle", "intensity", "ml", "interval", "zzz")) {
          topics.add(Topics.set(unit, "e1", job, setting));
        }
      }
      topics.add(Topics.set(unit, "other", Jobs.STIRRING, "target_rpm"));
    }
    topics.add(Topics.assignment("w1")); // non-retained: in production only the leader may write there (ACL)
    for (String unit : List.of("w1", "ghost")) {
      for (String attr : List.of(Topics.STATE, Topics.VERSIONS, Topics.IPV4, Topics.MODEL, Topics.WLAN_MAC)) {
        topics.add(Topics.monitor(unit, attr));
      }
      topics.add(Topics.commandReply(unit, Protocol.HANDSHAKE));
      topics.add(Topics.commandReply(unit, Protocol.RUN_JOB));
      topics.add(Topics.log(unit, "e1", "app", "info"));
      topics.add(Topics.job(unit, "e1", Jobs.STIRRING, Topics.STATE));
      topics.add(Topics.job(unit, "e1", Jobs.STIRRING, "target_rpm"));
      topics.add(Topics.pwmDutyCycles(unit));
    }
    Vertx vertx = Vertx.vertx();
    try {
      MqttClient fuzzer = MqttClient.create(vertx, new MqttClientOptions().setClientId("fuzzer").setMaxMessageSize(1 << 20)
          .setMaxInflightQueue(1000));
      fuzzer.connect(c.brokerPort, "127.0.0.1").await();
      for (int i = 0; i < cases; i++) {
        String topic = topics.get(i < topics.size() ? i : random.nextInt(topics.size()));
        Buffer payload = mqttPayload(topic);
        if (payload.length() == 0 && !topic.endsWith("/set") && !topic.contains("/commands/")) {
          // An empty payload on a state topic is the protocol's own "cleared" (what a retained delete delivers),
          // a valid message from that unit or the leader, not bad input.
          payload = Buffer.buffer("\u0001");
        }
        fuzzer.publish(topic, payload, MqttQoS.AT_LEAST_ONCE, false, false).await();
        if (i % 500 == 499) {
          Cluster.awaitTrue("the leader answers during the MQTT fuzz", NO_HANG, () -> c.http.get("/api/health").status() == 200);
        }
      }
      fuzzer.disconnect().await();
    } finally {
      vertx.close().await();
    }
    return cases;
  }

  /** A payload that is wrong for {@code topic}: garbage, or the right shape with wrong values. */
  private Buffer mqttPayload(String topic) {
    switch (random.nextInt(4)) {
      case 0 -> {
        byte[] noise = new byte[random.nextInt(4) == 0 ? 60_000 : random.nextInt(200)];
        random.nextBytes(noise);
        return Buffer.buffer(noise);
      }
      case 1 -> {
        // the command envelope with hostile fields
        JsonObject args = new JsonObject().put("job", hostile()).put("experiment", hostile()).put("options", hostile())
            .put("new_name", hostile()).put("experiment_profile_name", hostile());
        return new JsonObject().put("id", random.nextBoolean() ? hostile() : "fz-" + random.nextInt())
            .put("args", random.nextBoolean() ? hostile() : args).toBuffer();
      }
      case 2 -> {
        // a membership-like or reply-like object with wrong types
        return new JsonObject().put("pioreactor_unit", hostile()).put("is_active", hostile()).put("experiment", hostile())
            .put("in_inventory", hostile()).put("id", hostile()).put("ok", hostile()).toBuffer();
      }
      default -> {
        // a value for a setting or state that is not a valid one
        Object v = hostile();
        String text = v instanceof String s ? s : String.valueOf(v);
        if (topic.endsWith("/" + Topics.STATE + "/set") || topic.endsWith("/" + Topics.STATE)) {
          text = List.of("READY", "disconnect", "", "sleeping ", "ready\u0000", "lost?", text).get(random.nextInt(7));
        } else if (List.of("ready", "sleeping", "disconnected", "lost", "init", "true").contains(text) || inRange(text)) {
          text = text + "!"; // a valid value (a number in every setting's range) is not bad input
        }
        return Buffer.buffer(text);
      }
    }
  }

  /** A number some setting accepts (0 to 100 % or 0 to 5000 rpm): out-of-range numbers stay, as bad input. */
  private static boolean inRange(String text) {
    try {
      double v = Double.parseDouble(text);
      return v >= 0 && v <= 5000;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private Object hostile() {
    return HOSTILE.get(random.nextInt(HOSTILE.size()));
  }

  private int fuzzRest(String base, Connection db, int cases) throws Exception {
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
      String what = e.method() + " " + abbreviate(path) + " " + abbreviate(body);
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
        case 5 -> new String(randomBytes(random.nextInt(300)), StandardCharsets.ISO_8859_1);
        default -> String.valueOf(hostile() instanceof String s ? new JsonArray().add(s).encode() : hostile());
      };
    }
    JsonObject b = e.body().copy();
    List<String> fields = new ArrayList<>(b.fieldNames());
    switch (kind) {
      case 1 -> b.remove(fields.get(random.nextInt(fields.size())));
      case 2 -> b.put("$(reboot)", hostile()).put("extra", hostile());
      case 3 -> {
        return b.encode().substring(0, random.nextInt(b.encode().length()));
      }
      default -> {
        int n = 1 + random.nextInt(fields.size());
        for (int k = 0; k < n; k++) {
          b.put(fields.get(random.nextInt(fields.size())), hostile());
        }
      }
    }
    return b.encode();
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
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
  private static String snapshot(Connection db) throws Exception {
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

  private static String abbreviate(String s) {
    return s == null ? "(no body)" : s.length() > 120 ? s.substring(0, 120) + "…(" + s.length() + " chars)" : s;
  }
}
