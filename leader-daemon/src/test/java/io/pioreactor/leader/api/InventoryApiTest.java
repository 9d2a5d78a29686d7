package io.pioreactor.leader.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.leader.LeaderVerticle;
import io.pioreactor.leader.config.LeaderConfig;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.testing.MosquittoBroker;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.mqtt.MqttClient;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader's API on a real leader verticle, a real SQLite file and Debian's mosquitto. Actions that
 * need no worker answering (the handshake paths are covered end to end in e2e-tests).
 */
@ExtendWith(VertxExtension.class)
class InventoryApiTest {

  @TempDir
  Path dir;
  private MosquittoBroker broker;
  private WebClient http;
  private String leaderUnit;

  @BeforeEach
  void start(Vertx vertx) {
    broker = MosquittoBroker.start();
    JsonObject json = new JsonObject()
        .put("unit", "leader1")
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("mqtt", new JsonObject().put("host", "127.0.0.1").put("port", broker.port()))
        .put("database", new JsonObject().put("path", dir.resolve("pio.sqlite").toString()));
    LeaderConfig config = LeaderConfig.fromJson(json, "ignored");
    LeaderVerticle leader = new LeaderVerticle(config);
    vertx.deployVerticle(leader).await();
    leaderUnit = config.unit();
    http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(leader.httpPort()));
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private HttpResponse<Buffer> send(String method, String path, Object body) {
    var req = http.request(io.vertx.core.http.HttpMethod.valueOf(method), path);
    return (body == null ? req.send() : req.sendBuffer(Buffer.buffer(body.toString()))).await();
  }

  private JsonObject retainedAssignment(Vertx vertx, String unit) throws Exception {
    MqttClient c = MqttClient.create(vertx);
    c.connect(broker.port(), "127.0.0.1").await();
    CompletableFuture<String> got = new CompletableFuture<>();
    c.publishHandler(m -> got.complete(m.payload().toString()));
    c.subscribe(Topics.assignment(unit), 1).await();
    String payload = got.get(5, TimeUnit.SECONDS);
    c.disconnect().await();
    return new JsonObject(payload);
  }

  @Test
  @DisplayName("a fresh leader is its own first worker, and publishes that membership retained")
  void freshLeaderIsWorker(Vertx vertx) throws Exception {
    JsonArray workers = send("GET", "/api/workers", null).bodyAsJsonArray();
    assertThat(workers).hasSize(1);
    assertThat(workers.getJsonObject(0).getString("pioreactor_unit")).isEqualTo(leaderUnit);
    assertThat(workers.getJsonObject(0).getBoolean("is_leader")).isTrue();
    assertThat(retainedAssignment(vertx, leaderUnit).getInteger("is_active")).isEqualTo(1);
  }

  @Test
  @DisplayName("assign, deactivate and unassign change the row and the retained membership")
  void assignmentLifecycle(Vertx vertx) throws Exception {
    assertThat(send("PUT", "/api/workers", new JsonObject().put("pioreactor_unit", "w1")).statusCode()).isEqualTo(201);
    assertThat(send("POST", "/api/experiments", new JsonObject().put("experiment", "exp 1")).statusCode()).isEqualTo(201);
    assertThat(send("PUT", "/api/experiments/exp%201/workers", new JsonObject().put("pioreactor_unit", "w1")).statusCode())
        .isEqualTo(200);
    assertThat(send("GET", "/api/workers/w1/experiment", null).bodyAsJsonObject().getString("experiment")).isEqualTo("exp 1");
    assertThat(retainedAssignment(vertx, "w1").getString("experiment")).isEqualTo("exp 1");

    assertThat(send("PUT", "/api/workers/w1/is_active", new JsonObject().put("is_active", 0)).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/api/workers/w1", null).bodyAsJsonObject().getInteger("is_active")).isZero();
    assertThat(retainedAssignment(vertx, "w1").getInteger("is_active")).isZero();

    assertThat(send("DELETE", "/api/experiments/exp%201/workers/w1", null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/api/workers/w1/experiment", null).statusCode()).isEqualTo(404);
    assertThat(send("GET", "/api/experiments", null).bodyAsJsonArray().getJsonObject(0).getInteger("worker_count")).isZero();
  }

  @Test
  @DisplayName("bad input is answered 4xx with a JSON error, and changes nothing")
  void badInput() {
    send("PUT", "/api/workers", new JsonObject().put("pioreactor_unit", "w1"));
    String before = send("GET", "/api/workers", null).bodyAsString() + send("GET", "/api/experiments", null).bodyAsString();
    record Case(String method, String path, Object body, int status) {}
    Case[] cases = {
        new Case("POST", "/api/workers/setup", new JsonObject().put("name", "w1;rm -rf /"), 400),
        new Case("POST", "/api/workers/setup", new JsonObject().put("name", "$(reboot)"), 400),
        new Case("POST", "/api/workers/setup", new JsonObject().put("name", "localhost"), 400),
        new Case("POST", "/api/workers/setup", new JsonObject().put("name", "x".repeat(64)), 400),
        new Case("POST", "/api/workers/setup", new JsonObject().put("name", "w2").put("ipv4_address", "1.2.3"), 400),
        new Case("POST", "/api/workers/setup", new JsonObject().put("name", 5), 400),
        new Case("POST", "/api/workers/setup", new JsonObject().put("name", "w1"), 409),
        new Case("POST", "/api/workers/setup", "{not json", 400),
        new Case("POST", "/api/workers/setup", "[1,2]", 400),
        new Case("POST", "/api/workers/setup", new JsonObject().put("name", "a".repeat(70_000)), 413),
        new Case("PUT", "/api/workers", new JsonObject().put("pioreactor_unit", "w1"), 409),
        new Case("PUT", "/api/workers/w1/is_active", new JsonObject().put("is_active", 2), 400),
        new Case("PUT", "/api/workers/w1/is_active", new JsonObject().put("is_active", "yes"), 400),
        new Case("PUT", "/api/workers/w1/is_active", new JsonObject(), 400),
        new Case("PUT", "/api/workers/nobody/is_active", new JsonObject().put("is_active", 0), 404),
        new Case("DELETE", "/api/workers/nobody", null, 404),
        new Case("POST", "/api/workers/nobody/blink", null, 404),
        new Case("POST", "/api/workers/w1/blink", null, 202),
        new Case("POST", "/api/workers/bad%20name/blink", null, 400),
        new Case("GET", "/api/workers/nobody", null, 404),
        new Case("POST", "/api/experiments", new JsonObject().put("experiment", "a/b"), 400),
        new Case("POST", "/api/experiments", new JsonObject().put("experiment", "current"), 400),
        new Case("PUT", "/api/experiments/none/workers", new JsonObject().put("pioreactor_unit", "w1"), 404),
        new Case("DELETE", "/api/experiments/none/workers/w1", null, 404),
        new Case("POST", "/api/units/nobody/system/reboot", null, 404),
        new Case("GET", "/api/logs?limit=abc", null, 400),
        new Case("GET", "/api/logs?min_level=loud", null, 400),
        new Case("GET", "/api/logs?before_id=5&after_id=2", null, 400),
        new Case("GET", "/api/logs?after_id=-1", null, 400),
        new Case("GET", "/api/logs?skip=100001", null, 400),
        new Case("GET", "/api/logs?unit=bad%20name", null, 400),
        new Case("GET", "/api/logs?experiment=a%2Fb", null, 400),
        new Case("GET", "/api/logs?unit=w1&experiment=e1&min_level=warning&before_id=10&limit=5", null, 200),
        new Case("GET", "/api/nothing-here", null, 404),
    };
    for (Case c : cases) {
      HttpResponse<Buffer> r = send(c.method(), c.path(), c.body());
      assertThat(r.statusCode()).as(c.method() + " " + c.path() + " " + c.body()).isEqualTo(c.status());
      if (c.status() >= 400) {
        assertThat(r.bodyAsJsonObject().getString("error")).as(c.path()).isNotBlank();
      }
    }
    String after = send("GET", "/api/workers", null).bodyAsString() + send("GET", "/api/experiments", null).bodyAsString();
    assertThat(after).isEqualTo(before);
  }
}
