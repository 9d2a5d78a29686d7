package io.pioreactor.leader.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.pioreactor.leader.LeaderVerticle;
import io.pioreactor.leader.config.LeaderConfig;
import io.pioreactor.protocol.CommandReply;
import io.pioreactor.protocol.CommandRequest;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.testing.JsonSchemas;
import io.pioreactor.protocol.UnitFacts;
import io.pioreactor.protocol.testing.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endpoints upstream's web app (Inventory page) and upstream-era scripts use, answered in upstream's
 * shapes (issue 9): a real leader verticle, its embedded broker, a real SQLite file, and workers that speak
 * the protocol over MQTT (each a small MQTT client that answers the leader's commands as the worker daemon
 * does). Every answer is checked against a hand-written schema in shared-protocol's test resources
 * ({@code upstream/schemas.json}); UpstreamShapesEndToEndTest checks the same against the real daemons.
 */
@ExtendWith(VertxExtension.class)
class UpstreamContractTest {

  @TempDir
  Path dir;
  private final JsonSchemas schemas = new JsonSchemas();
  private WebClient http;
  private int brokerPort;
  private int wsPort;
  private final List<MqttClient> workers = new ArrayList<>();
  /** Commands each fake worker received, as "unit command". */
  private final List<String> received = new CopyOnWriteArrayList<>();

  private io.pioreactor.protocol.testing.TestCredentials credentials;

  @BeforeEach
  void start(Vertx vertx) {
    credentials = new io.pioreactor.protocol.testing.TestCredentials(dir.resolve("broker.passwd"));
    brokerPort = FreePorts.next();
    wsPort = FreePorts.next();
    JsonObject json = new JsonObject()
        .put("unit", "leader1")
        .put("leader_is_worker", false)
        .put("add_timeout_seconds", 3)
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("broker", new JsonObject().put("host", "127.0.0.1").put("port", brokerPort).put("ws_port", wsPort)
            .put("password_file", credentials.file.toString()))
        .put("discovery", new JsonObject().put("enabled", false))
        .put("database", new JsonObject().put("path", dir.resolve("pio.sqlite").toString()));
    LeaderVerticle leader = new LeaderVerticle(LeaderConfig.fromJson(json, "ignored"));
    vertx.deployVerticle(leader).await();
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(leader.httpPort()));
  }

  @AfterEach
  void stop() {
    for (MqttClient c : workers) {
      c.disconnect().otherwiseEmpty().await();
    }
  }

  /** A worker as the leader sees it on the broker: retained monitor facts, and answers to commands. */
  private void fakeWorker(Vertx vertx, String unit, String model, String version) {
    MqttClient c = MqttClient.create(vertx, new MqttClientOptions().setClientId(io.pioreactor.protocol.ClientIds.worker(unit))
        .setUsername(unit).setPassword(credentials.password(unit))
        .setWillFlag(true).setWillTopic(Topics.monitorState(unit)).setWillMessageBytes(Buffer.buffer("lost")).setWillRetain(true));
    c.publishHandler(m -> {
      String[] parts = m.topicName().split("/");
      String command = parts[parts.length - 1];
      received.add(unit + " " + command);
      if (m.topicName().endsWith(Topics.FLICKER_LED)) {
        return;
      }
      CommandRequest req = CommandRequest.fromBuffer(m.payload());
      JsonObject result = command.equals("handshake")
          ? new UnitFacts(unit, List.of("127.0.0.1"), model, version, new JsonObject().put("app", "0.1.0")).toJson()
          : new JsonObject();
      c.publish(Topics.commandReply(unit, command), CommandReply.success(req.id(), unit, result).toBuffer(),
          MqttQoS.AT_LEAST_ONCE, false, false);
    });
    c.connect(brokerPort, "127.0.0.1").await();
    c.subscribe(Map.of(Topics.command(unit, "+"), 1, Topics.command(Topics.BROADCAST, "+"), 1, Topics.flickerLed(unit), 1)).await();
    for (var fact : Map.of(Topics.STATE, "ready", Topics.MODEL,
        new JsonObject().put("model_name", model).put("model_version", version).encode(),
        Topics.VERSIONS, new JsonObject().put("app", "0.1.0").put("hat", "1.2").put("firmware", "0.4").put("rpi_machine", "test").encode(),
        Topics.IPV4, "127.0.0.1").entrySet()) {
      c.publish(Topics.monitor(unit, fact.getKey()), Buffer.buffer(fact.getValue()), MqttQoS.AT_LEAST_ONCE, false, true).await();
    }
    workers.add(c);
  }

  private HttpResponse<Buffer> send(String method, String path, Object body) {
    var req = http.request(io.vertx.core.http.HttpMethod.valueOf(method), path);
    return (body == null ? req.send() : req.sendBuffer(Buffer.buffer(body.toString()))).await();
  }

  /** Sends, checks the status, the JSON content type, and the body against the named schema; returns the body. */
  private Object expect(String method, String path, Object body, int status, String schema) {
    HttpResponse<Buffer> r = send(method, path, body);
    String what = method + " " + path + " -> " + r.bodyAsString();
    assertThat(r.statusCode()).as(what).isEqualTo(status);
    assertThat(r.getHeader("content-type")).as(what).startsWith("application/json");
    Object json = Json.decodeValue(r.body());
    assertThat(schemas.check(schema, json)).as(what).isEmpty();
    return json;
  }

  /** Until the leader has heard the unit's retained {@code monitor/$state = ready}. */
  private void awaitLive(Vertx vertx, String unit) throws InterruptedException {
    for (int i = 0; i < 400; i++) { // up to 20 s: a busy machine
      boolean ready = send("GET", "/api/units", null).bodyAsJsonArray().stream().map(JsonObject.class::cast)
          .anyMatch(u -> unit.equals(u.getString("pioreactor_unit")) && "ready".equals(u.getString("state")));
      if (ready) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(unit + " never seen by the leader");
  }

  @Test
  @DisplayName("Inventory reads: workers (sorted, with models), models, shared config, descriptors, experiments, unit facts")
  void reads(Vertx vertx) throws Exception {
    fakeWorker(vertx, "w2", "pioreactor_20ml", "1.5");
    fakeWorker(vertx, "w1", "pioreactor_40ml", "1.5");
    fakeWorker(vertx, "newcomer", "pioreactor_40ml", "1.0");
    awaitLive(vertx, "w2");
    awaitLive(vertx, "w1");
    awaitLive(vertx, "newcomer");
    expect("POST", "/api/workers/setup", new JsonObject().put("name", "w2"), 200, "success");
    expect("POST", "/api/workers/setup", new JsonObject().put("name", "w1"), 200, "success");
    // Upstream's raw insert, no daemon behind it and no model named: it still gets one.
    assertThat(send("PUT", "/api/workers", new JsonObject().put("pioreactor_unit", "w0")).statusCode()).isEqualTo(201);

    JsonArray list = (JsonArray) expect("GET", "/api/workers", null, 200, "workers");
    assertThat(list.stream().map(o -> ((JsonObject) o).getString("pioreactor_unit")).toList()).containsExactly("w0", "w1", "w2");
    assertThat(list.getJsonObject(1).getString("model_name")).isEqualTo("pioreactor_40ml");
    assertThat(list.getJsonObject(2).getString("model_name")).isEqualTo("pioreactor_20ml");
    assertThat(list.getJsonObject(0).getString("model_name")).as("the default model").isEqualTo("pioreactor_40ml");

    JsonObject models = (JsonObject) expect("GET", "/api/models", null, 200, "models");
    assertThat(models.getJsonArray("models").stream().map(o -> ((JsonObject) o).getString("model_name") + " " + ((JsonObject) o).getString("model_version")))
        .contains("pioreactor_20ml 1.0", "pioreactor_20ml 1.1", "pioreactor_20ml 1.5", "pioreactor_40ml 1.0", "pioreactor_40ml 1.5");
    expect("GET", "/api/workers/w2/model", null, 200, "worker_model");

    // The shared config: INI text with what the page needs to reach the broker over WebSocket.
    HttpResponse<Buffer> ini = send("GET", "/api/config/shared", null);
    assertThat(ini.statusCode()).isEqualTo(200);
    assertThat(ini.getHeader("content-type")).startsWith("text/plain");
    Map<String, Map<String, String>> parsed = parseIni(ini.bodyAsString());
    assertThat(parsed.get("cluster.topology")).containsEntry("leader_hostname", "leader1").containsEntry("leader_address", "127.0.0.1");
    assertThat(parsed.get("mqtt")).containsEntry("broker_address", "127.0.0.1").containsEntry("broker_ws_port", String.valueOf(wsPort))
        .containsEntry("broker_port", String.valueOf(brokerPort)).containsEntry("ws_protocol", "ws")
        .containsKeys("username", "password");
    assertThat(parsed.get("cluster.addresses")).containsEntry("w1", "127.0.0.1");
    // The Overview's OD charts name a series by its channel's angle, and show the cards listed here.
    assertThat(parsed.get("od_config.photodiode_channel")).containsEntry("1", "90").containsEntry("2", "REF");
    assertThat(parsed.get("ui.overview.cards")).containsEntry("event_logs", "1").containsEntry("profiles", "1")
        .as("not until media_rates is answered: the card would take the page down").containsEntry("dosings", "0");
    assertThat(parsed.get("logging")).as("the log card reads it").containsEntry("ui_log_level", "INFO");

    JsonArray descriptors = (JsonArray) expect("GET", "/api/jobs/descriptors", null, 200, "job_descriptors");
    JsonObject selfTest = descriptors.stream().map(JsonObject.class::cast).filter(d -> d.getString("job_name").equals("self_test"))
        .findFirst().orElseThrow();
    assertThat(selfTest.getJsonArray("published_settings").stream().map(o -> ((JsonObject) o).getString("key")))
        .contains("all_tests_passed", "test_pioreactor_HAT_present", "correlations_between_pds_and_leds");
    assertThat(descriptors.stream().map(o -> ((JsonObject) o).getString("job_name"))).contains("stirring", "od_reading");

    assertThat(send("GET", "/api/experiments/latest", null).bodyAsString()).isEqualTo("null");
    expect("GET", "/api/experiments/latest", null, 200, "experiment_or_null");
    expect("POST", "/api/experiments", new JsonObject().put("experiment", "first"), 201, "experiment");
    expect("POST", "/api/experiments", new JsonObject().put("experiment", "second").put("description", "d"), 201, "experiment");
    expect("PUT", "/api/experiments/first/workers", new JsonObject().put("pioreactor_unit", "w1"), 200, "success");
    JsonArray exps = (JsonArray) expect("GET", "/api/experiments", null, 200, "experiments");
    assertThat(exps).hasSize(2);
    JsonObject latest = (JsonObject) expect("GET", "/api/experiments/latest", null, 200, "experiment_or_null");
    assertThat(latest.getString("experiment")).isEqualTo("second");

    assertThat(((JsonObject) expect("GET", "/api/local_access_point", null, 200, "local_access_point")).getBoolean("active")).isFalse();
    JsonObject disk = (JsonObject) expect("GET", "/unit_api/system/disk_space", null, 200, "disk_space");
    assertThat(disk.getLong("total_bytes")).isPositive().isGreaterThanOrEqualTo(disk.getLong("available_bytes"));
    expect("GET", "/unit_api/versions/app", null, 200, "app_version");
    expect("GET", "/unit_api/usb", null, 200, "usb");

    JsonObject assigned = (JsonObject) expect("GET", "/api/workers/w1/experiment", null, 200, "worker_experiment");
    assertThat(assigned.getString("experiment")).isEqualTo("first");
    JsonObject unassigned = (JsonObject) expect("GET", "/api/workers/w2/experiment", null, 404, "error");
    assertThat(unassigned.getInteger("status")).isEqualTo(404);
    expect("GET", "/api/workers/nobody/experiment", null, 404, "error");

    JsonArray found = (JsonArray) expect("GET", "/api/workers/discover", null, 200, "discovered");
    assertThat(found.stream().map(o -> ((JsonObject) o).getString("pioreactor_unit")).toList()).containsExactly("newcomer");
  }

  @Test
  @DisplayName("Inventory actions: blink 202, is_active 200, unassign, unassign all as a task, model (400 unknown), reboot/shutdown as tasks, remove")
  void actions(Vertx vertx) throws Exception {
    fakeWorker(vertx, "w1", "pioreactor_40ml", "1.5");
    awaitLive(vertx, "w1");
    expect("POST", "/api/workers/setup", new JsonObject().put("name", "w1"), 200, "success");
    expect("POST", "/api/experiments", new JsonObject().put("experiment", "e1"), 201, "experiment");
    expect("PUT", "/api/experiments/e1/workers", new JsonObject().put("pioreactor_unit", "w1"), 200, "success");

    expect("POST", "/api/workers/w1/blink", null, 202, "accepted");
    awaitReceived("w1 " + Topics.FLICKER_LED);
    expect("PUT", "/api/workers/w1/is_active", new JsonObject().put("is_active", 0), 200, "success");
    assertThat(((JsonArray) expect("GET", "/api/workers", null, 200, "workers")).getJsonObject(0).getInteger("is_active")).isZero();
    expect("PUT", "/api/workers/w1/is_active", new JsonObject().put("is_active", 1), 200, "success");

    // Upstream's web app starts and stops jobs with PATCH (POST works too), under /api/workers and /api/units.
    JsonObject runBody = new JsonObject().put("args", new JsonArray()).put("options", new JsonObject())
        .put("env", new JsonObject().put("EXPERIMENT", "e1").put("JOB_SOURCE", "user")).put("config_overrides", new JsonArray());
    for (String prefix : new String[] {"/api/workers", "/api/units"}) {
      received.remove("w1 run_job");
      assertThat(send("PATCH", prefix + "/w1/jobs/run/job_name/stirring/experiments/e1", runBody).statusCode() / 100)
          .as("PATCH " + prefix + "/w1/jobs/run/…").isEqualTo(2);
      awaitReceived("w1 run_job");
      received.remove("w1 stop_jobs");
      assertThat(send("PATCH", prefix + "/w1/jobs/stop/job_name/stirring/experiments/e1", null).statusCode() / 100)
          .as("PATCH " + prefix + "/w1/jobs/stop/…").isEqualTo(2);
      awaitReceived("w1 stop_jobs");
    }
    expect("PATCH", "/api/workers/nobody/jobs/run/job_name/stirring/experiments/e1", runBody, 404, "error");

    expect("DELETE", "/api/experiments/e1/workers/w1", null, 200, "success");
    expect("GET", "/api/workers/w1/experiment", null, 404, "error");
    expect("DELETE", "/api/experiments/e1/workers/w1", null, 404, "error");
    // Unassign all workers: upstream's task answer; its result per unit in the fan-out shape.
    expect("PUT", "/api/experiments/e1/workers", new JsonObject().put("pioreactor_unit", "w1"), 200, "success");
    JsonObject unassignAll = (JsonObject) expect("DELETE", "/api/workers/assignments", null, 202, "task");
    JsonObject unassigned = (JsonObject) expect("GET", unassignAll.getString("result_url_path"), null, 200, "task_result");
    assertThat(schemas.check("fanout_entry", unassigned.getJsonObject("result").getJsonObject("w1"))).isEmpty();
    expect("GET", "/api/workers/w1/experiment", null, 404, "error");

    expect("PUT", "/api/workers/w1/model", new JsonObject().put("model_name", "pioreactor_20ml").put("model_version", "1.1"), 200, "success");
    assertThat(((JsonObject) expect("GET", "/api/workers/w1/model", null, 200, "worker_model")).getString("model_version")).isEqualTo("1.1");
    JsonObject unknown = (JsonObject) expect("PUT", "/api/workers/w1/model",
        new JsonObject().put("model_name", "pioreactor_90ml").put("model_version", "9"), 400, "error");
    assertThat(unknown.getString("cause")).contains("pioreactor_90ml");
    assertThat(unknown.getString("remediation")).contains("pioreactor_40ml");
    expect("PUT", "/api/workers/nobody/model", new JsonObject().put("model_name", "pioreactor_20ml").put("model_version", "1.1"), 404, "error");
    assertThat(((JsonObject) expect("GET", "/api/workers/w1/model", null, 200, "worker_model")).getString("model_version"))
        .as("a refused change changes nothing").isEqualTo("1.1");

    for (String action : new String[] {"reboot", "shutdown"}) {
      JsonObject task = (JsonObject) expect("POST", "/api/units/w1/system/" + action, null, 202, "task");
      assertThat(task.getString("unit")).isEqualTo("leader1");
      assertThat(task.getString("result_url_path")).isEqualTo("/unit_api/task_results/" + task.getString("task_id"));
      awaitReceived("w1 " + action);
      JsonObject result = (JsonObject) expect("GET", task.getString("result_url_path"), null, 200, "task_result");
      assertThat(result.getString("status")).isEqualTo("succeeded");
      assertThat(schemas.check("fanout_entry", result.getJsonObject("result").getJsonObject("w1"))).isEmpty();
      assertThat(result.getJsonObject("result").getJsonObject("w1").getBoolean("ok")).isTrue();
    }
    JsonObject broadcast = (JsonObject) expect("POST", "/api/units/$broadcast/system/reboot", null, 202, "task");
    assertThat(((JsonObject) expect("GET", broadcast.getString("result_url_path"), null, 200, "task_result"))
        .getJsonObject("result").fieldNames()).containsExactly("w1");
    expect("GET", "/unit_api/task_results/no-such-task", null, 404, "error");

    expect("DELETE", "/api/workers/w1", null, 202, "success");
    expect("DELETE", "/api/workers/w1", null, 404, "error");
    assertThat((JsonArray) expect("GET", "/api/workers", null, 200, "workers")).isEmpty();
  }

  @Test
  @DisplayName("bad input to the upstream endpoints: 4xx with upstream's error body, nothing changed")
  void badInput(Vertx vertx) throws Exception {
    assertThat(send("PUT", "/api/workers", new JsonObject().put("pioreactor_unit", "w1")).statusCode()).isEqualTo(201);
    String before = dump();
    record Case(String method, String path, Object body, int status) {}
    Case[] cases = {
        new Case("PUT", "/api/workers/w1/model", new JsonObject().put("model_name", "pioreactor_20ml"), 400),
        new Case("PUT", "/api/workers/w1/model", new JsonObject().put("model_name", "x;reboot").put("model_version", "1"), 400),
        new Case("PUT", "/api/workers/w1/model", new JsonObject().put("model_name", 20).put("model_version", "1.0"), 400),
        new Case("PUT", "/api/workers/w1/model", "{not json", 400),
        new Case("PUT", "/api/workers/w1/model", "[]", 400),
        new Case("PUT", "/api/workers/bad%20name/model", new JsonObject().put("model_name", "pioreactor_20ml").put("model_version", "1.0"), 400),
        new Case("PUT", "/api/workers", new JsonObject().put("pioreactor_unit", "w2").put("model_name", "nope").put("model_version", "1"), 400),
        new Case("PUT", "/api/workers", new JsonObject().put("pioreactor_unit", "w2").put("model_name", "pioreactor_20ml"), 400),
        new Case("POST", "/api/workers/setup", new JsonObject().put("name", "w3").put("model", "nope").put("version", "1"), 400),
        new Case("POST", "/api/units/nobody/system/shutdown", null, 404),
        new Case("POST", "/api/units/$(reboot)/system/reboot", null, 400),
        new Case("GET", "/api/workers/nobody/model", null, 404),
        new Case("GET", "/unit_api/task_results/..%2F..%2Fetc%2Fpasswd", null, 404),
        new Case("GET", "/unit_api/nothing", null, 404),
    };
    for (Case c : cases) {
      expect(c.method(), c.path(), c.body(), c.status(), "error");
    }
    assertThat(dump()).isEqualTo(before);
  }

  /** A GET answered as upstream's config routes answer: 200, text/plain, the text. */
  private String expectText(String path) {
    HttpResponse<Buffer> r = send("GET", path, null);
    assertThat(r.statusCode()).as("GET " + path + " -> " + r.bodyAsString()).isEqualTo(200);
    assertThat(r.getHeader("content-type")).as("GET " + path).startsWith("text/plain");
    return r.bodyAsString() == null ? "" : r.bodyAsString();
  }

  private static JsonObject code(String text) {
    return new JsonObject().put("code", text);
  }

  @Test
  @DisplayName("the shared configuration: GET as INI text, PATCH {code} -> {status: success}, history rows {filename, timestamp, data} newest first; bad INI is 400 with the line")
  void sharedConfig(Vertx vertx) throws Exception {
    String text = expectText("/api/config/shared");
    assertThat(parseIni(text).get("PWM")).containsEntry("1", "stirring");
    String edited = text.replace("initial_target_rpm=500", "initial_target_rpm=600");
    assertThat(edited).isNotEqualTo(text);

    expect("PATCH", "/api/config/shared", code(edited), 200, "success");
    assertThat(parseIni(expectText("/api/config/shared")).get("stirring.config")).containsEntry("initial_target_rpm", "600");
    JsonArray history = (JsonArray) expect("GET", "/api/config/shared/history", null, 200, "config_history");
    assertThat(history.getJsonObject(0).getString("filename")).isEqualTo("config.ini");
    assertThat(history.getJsonObject(0).getString("data")).as("the newest first").contains("initial_target_rpm=600");

    JsonObject bad = (JsonObject) expect("PATCH", "/api/config/shared", code(edited + "[leds\n"), 400, "error");
    int lines = edited.split("\n", -1).length;
    assertThat(bad.getString("error")).startsWith("line " + lines + ": ");
    JsonObject twice = (JsonObject) expect("PATCH", "/api/config/shared", code(edited + "[PWM]\n"), 400, "error");
    assertThat(twice.getString("error")).contains("[PWM]").contains("twice");
    expect("PATCH", "/api/config/shared", code(edited.replace("initial_target_rpm=600", "initial_target_rpm=fast")), 400, "error");
    expect("PATCH", "/api/config/shared", new JsonObject(), 400, "error");
    expect("PATCH", "/api/config/shared", new JsonObject().put("code", 5), 400, "error");
    expect("PATCH", "/api/config/shared", "{not json", 400, "error");
    assertThat((JsonArray) expect("GET", "/api/config/shared/history", null, 200, "config_history")).as("nothing stored")
        .hasSize(history.size());
  }

  @Test
  @DisplayName("a unit's configuration: GET units/<u> {configs: {unit: {section: {key: value}}}, errors: {}}, $broadcast for all; its specific INI and history; 404 for a unit not in the inventory")
  void unitConfig(Vertx vertx) throws Exception {
    for (String unit : new String[] {"w1", "w2"}) {
      assertThat(send("PUT", "/api/workers", new JsonObject().put("pioreactor_unit", unit)).statusCode()).isEqualTo(201);
    }
    JsonObject merged = (JsonObject) expect("GET", "/api/config/units/w1", null, 200, "unit_configs");
    assertThat(merged.getJsonObject("configs").fieldNames()).containsExactly("w1");
    assertThat(merged.getJsonObject("errors")).isEmpty();
    JsonObject w1 = merged.getJsonObject("configs").getJsonObject("w1");
    assertThat(w1.getJsonObject("PWM").getString("1")).isEqualTo("stirring");
    assertThat(w1.getJsonObject("stirring.config").getString("initial_target_rpm")).isEqualTo("500");

    assertThat(expectText("/api/config/units/w1/specific")).as("none yet").isEmpty();
    assertThat((JsonArray) expect("GET", "/api/config/units/w1/specific/history", null, 200, "config_history")).isEmpty();
    String specific = "[stirring.config]\ninitial_target_rpm=300\n";
    expect("PATCH", "/api/config/units/w1/specific", code(specific), 200, "success");
    assertThat(expectText("/api/config/units/w1/specific")).isEqualTo(specific);
    JsonArray history = (JsonArray) expect("GET", "/api/config/units/w1/specific/history", null, 200, "config_history");
    assertThat(history).hasSize(1);
    assertThat(history.getJsonObject(0).getString("filename")).isEqualTo("unit_config.ini::w1");
    assertThat(history.getJsonObject(0).getString("data")).isEqualTo(specific);

    JsonObject all = (JsonObject) expect("GET", "/api/config/units/$broadcast", null, 200, "unit_configs");
    assertThat(all.getJsonObject("configs").fieldNames()).containsExactlyInAnyOrder("w1", "w2");
    assertThat(all.getJsonObject("configs").getJsonObject("w1").getJsonObject("stirring.config").getString("initial_target_rpm"))
        .isEqualTo("300");
    assertThat(all.getJsonObject("configs").getJsonObject("w2").getJsonObject("stirring.config").getString("initial_target_rpm"))
        .isEqualTo("500");

    JsonObject bad = (JsonObject) expect("PATCH", "/api/config/units/w1/specific", code("[stirring.config\n"), 400, "error");
    assertThat(bad.getString("error")).startsWith("line 1: ");
    expect("PATCH", "/api/config/units/w1/specific", code("[PWM]\n7=heating\n"), 400, "error");
    expect("PATCH", "/api/config/units/w1/specific", code("[PWM]\n4=stirring\n"), 400, "error"); // stirring on 1 and 4 once merged
    expect("PATCH", "/api/config/units/w1/specific", new JsonObject(), 400, "error");
    assertThat((JsonArray) expect("GET", "/api/config/units/w1/specific/history", null, 200, "config_history")).as("nothing stored")
        .hasSize(1);

    expect("GET", "/api/config/units/nobody", null, 404, "error");
    expect("GET", "/api/config/units/nobody/specific", null, 404, "error");
    expect("PATCH", "/api/config/units/nobody/specific", code(specific), 404, "error");
    expect("GET", "/api/config/units/nobody/specific/history", null, 404, "error");
    // Upstream: a specific configuration is one unit's; $broadcast is 400 there.
    expect("GET", "/api/config/units/$broadcast/specific", null, 400, "error");
    expect("PATCH", "/api/config/units/$broadcast/specific", code(specific), 400, "error");
    expect("GET", "/api/config/units/$broadcast/specific/history", null, 400, "error");
  }

  @Test
  @DisplayName("GET /api/config/zipped: upstream's configuration_inis.zip, config.ini as GET /api/config/shared gives it, <unit>/unit_config.ini per unit in the inventory (empty: none), metadata.json")
  void zippedConfigs(Vertx vertx) throws Exception {
    for (String unit : new String[] {"w2", "w1"}) {
      assertThat(send("PUT", "/api/workers", new JsonObject().put("pioreactor_unit", unit)).statusCode()).isEqualTo(201);
    }
    String specific = "[stirring.config]\ninitial_target_rpm=300\n";
    expect("PATCH", "/api/config/units/w1/specific", code(specific), 200, "success");
    String shared = expectText("/api/config/shared");

    HttpResponse<Buffer> r = send("GET", "/api/config/zipped", null);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.getHeader("content-type")).isEqualTo("application/zip");
    assertThat(r.getHeader("content-disposition")).isEqualTo("attachment; filename=configuration_inis.zip");
    Map<String, String> entries = new java.util.LinkedHashMap<>();
    try (var zip = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(r.body().getBytes()))) {
      for (var e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        entries.put(e.getName(), new String(zip.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    assertThat(entries.keySet()).containsExactly("config.ini", "w1/unit_config.ini", "w2/unit_config.ini", "metadata.json");
    assertThat(entries.get("config.ini")).isEqualTo(shared);
    assertThat(entries.get("w1/unit_config.ini")).isEqualTo(specific);
    assertThat(entries.get("w2/unit_config.ini")).as("no specific text").isEmpty();
    JsonObject metadata = new JsonObject(entries.get("metadata.json"));
    assertThat(metadata.getInteger("metadata_version")).isEqualTo(1);
    assertThat(metadata.getString("downloaded_at_utc")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
    assertThat(metadata.getJsonArray("included_config_files"))
        .containsExactly("config.ini", "w1/unit_config.ini", "w2/unit_config.ini");
    assertThat(metadata.getJsonArray("omitted_units")).isEmpty();
  }

  /** The database's inventory tables, as text: what a refused request must leave alone. */
  private String dump() throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("pio.sqlite"));
         var rs = db.createStatement().executeQuery("SELECT pioreactor_unit, model_name, model_version, is_active FROM workers "
             + "ORDER BY pioreactor_unit")) {
      StringBuilder sb = new StringBuilder();
      while (rs.next()) {
        sb.append(rs.getString(1)).append(' ').append(rs.getString(2)).append(' ').append(rs.getString(3)).append(' ')
            .append(rs.getInt(4)).append('\n');
      }
      return sb.toString();
    }
  }

  private void awaitReceived(String what) throws InterruptedException {
    for (int i = 0; i < 100 && !received.contains(what); i++) {
      Thread.sleep(50);
    }
    assertThat(received).contains(what);
  }

  /** Upstream's own INI reading (its web app's parser): sections, key=value, ';' comments. */
  private static Map<String, Map<String, String>> parseIni(String text) {
    Map<String, Map<String, String>> out = new ConcurrentHashMap<>();
    Map<String, String> section = null;
    for (String line : text.split("[\r\n]+")) {
      if (line.matches("^\\s*;.*$")) {
        continue;
      }
      var param = java.util.regex.Pattern.compile("^\\s*([^=]+?)\\s*=\\s*(.*?)\\s*$").matcher(line);
      var sect = java.util.regex.Pattern.compile("^\\s*\\[\\s*([^\\]]*)\\s*\\]\\s*$").matcher(line);
      if (param.matches() && section != null) {
        section.put(param.group(1), param.group(2));
      } else if (sect.matches()) {
        section = new java.util.TreeMap<>();
        out.put(sect.group(1), section);
      }
    }
    return out;
  }
}
