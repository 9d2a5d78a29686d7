package io.pioreactor.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.pi4j.context.Context;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.pioreactor.protocol.CommandReply;
import io.pioreactor.protocol.CommandRequest;
import io.pioreactor.protocol.Membership;
import io.pioreactor.protocol.Protocol;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.UnitFacts;
import io.pioreactor.protocol.testing.MosquittoBroker;
import io.pioreactor.worker.config.WorkerConfig;
import io.pioreactor.worker.hardware.GpioContexts;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A worker verticle against Debian's mosquitto, observed only through MQTT, as the leader sees it. */
@ExtendWith(VertxExtension.class)
class WorkerIntegrationTest {
  private MosquittoBroker broker;
  private MqttClient observer;
  private final Map<String, String> latest = new ConcurrentHashMap<>();
  private final Context pi4j = GpioContexts.mock();

  @BeforeEach
  void start(Vertx vertx) {
    broker = MosquittoBroker.start();
    observer = MqttClient.create(vertx, new MqttClientOptions().setClientId("observer").setMaxMessageSize(1024 * 1024)
        .setMaxInflightQueue(100));
    observer.publishHandler(m -> latest.put(m.topicName(), m.payload().toString()));
    observer.connect(broker.port(), "127.0.0.1").await();
    observer.subscribe(Topics.everything(), 1).await();
  }

  @AfterEach
  void stop() {
    broker.close();
    pi4j.shutdown();
  }

  private WorkerVerticle deploy(Vertx vertx) {
    WorkerConfig config = WorkerConfig.fromJson(new JsonObject().put("unit", "w1")
        .put("mqtt", new JsonObject().put("host", "127.0.0.1").put("port", broker.port()).put("keepalive_seconds", 2))
        .put("reboot_command", new io.vertx.core.json.JsonArray().add("true"))
        .put("shutdown_command", new io.vertx.core.json.JsonArray().add("true"))
        .put("state_dir", System.getProperty("java.io.tmpdir") + "/pioreactor-test-state-" + ProcessHandle.current().pid()), "ignored");
    WorkerVerticle w = new WorkerVerticle(config, pi4j);
    vertx.deployVerticle(w).await();
    return w;
  }

  private static void await(Vertx vertx, String what, Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.get()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      vertx.timer(20).await();
    }
  }

  @Test
  @DisplayName("a worker announces itself retained, answers the handshake and blinks on identify")
  void announcesAndAnswers(Vertx vertx) {
    WorkerVerticle w = deploy(vertx);
    await(vertx, "ready", () -> "ready".equals(latest.get(Topics.monitorState("w1"))));
    assertThat(new JsonObject(latest.get(Topics.monitor("w1", Topics.VERSIONS))).getString("app")).isEqualTo(Protocol.APP_VERSION);
    assertThat(new JsonObject(latest.get(Topics.monitor("w1", Topics.MODEL))).getString("model_name")).isEqualTo("pioreactor_40ml");
    assertThat(latest).containsKey(Topics.monitor("w1", Topics.IPV4));
    await(vertx, "button_down announced", () -> "False".equals(latest.get(Topics.monitor("w1", Topics.BUTTON_DOWN))));

    observer.publish(Topics.command("w1", Protocol.HANDSHAKE), new CommandRequest("id-1", new JsonObject()).toBuffer(),
        MqttQoS.AT_LEAST_ONCE, false, false).await();
    await(vertx, "handshake reply", () -> latest.containsKey(Topics.commandReply("w1", Protocol.HANDSHAKE)));
    CommandReply reply = CommandReply.fromBuffer(Buffer.buffer(latest.get(Topics.commandReply("w1", Protocol.HANDSHAKE))));
    assertThat(reply.id()).isEqualTo("id-1");
    assertThat(UnitFacts.fromJson(reply.result()).unit()).isEqualTo("w1");

    AtomicInteger edges = new AtomicInteger();
    w.blinker().output().addListener(e -> edges.incrementAndGet());
    observer.publish(Topics.flickerLed(Topics.BROADCAST), Buffer.buffer("1"), MqttQoS.AT_LEAST_ONCE, false, false).await();
    await(vertx, "16 LED edges", () -> edges.get() >= 16);

    observer.publish(Topics.command(Topics.BROADCAST, "dance"), new CommandRequest("id-2", new JsonObject()).toBuffer(),
        MqttQoS.AT_LEAST_ONCE, false, false).await();
    await(vertx, "refusal", () -> latest.getOrDefault(Topics.commandReply("w1", "dance"), "").contains("unknown command"));
  }

  @Test
  @DisplayName("membership retained before the worker starts is known at once; garbage is ignored; a broker restart is survived")
  void membershipAndRestart(Vertx vertx) {
    observer.publish(Topics.assignment("w1"), new Membership("w1", false, "exp1", "t", "t").toBuffer(),
        MqttQoS.AT_LEAST_ONCE, false, true).await();
    WorkerVerticle w = deploy(vertx);
    await(vertx, "membership", () -> w.membership().inInventory());
    assertThat(w.membership().isActive()).isFalse();
    assertThat(w.membership().experiment()).isEqualTo("exp1");

    for (String garbage : new String[] {"", "{", "[]", "\u0000\u00ff", "{\"id\": 5}", "x".repeat(100_000)}) {
      observer.publish(Topics.command("w1", Protocol.HANDSHAKE), Buffer.buffer(garbage), MqttQoS.AT_LEAST_ONCE, false, false).await();
      observer.publish(Topics.flickerLed("w1"), Buffer.buffer(garbage), MqttQoS.AT_LEAST_ONCE, false, false).await();
    }
    observer.publish(Topics.assignment("w1"), Buffer.buffer("{\"pioreactor_unit\": 3}"), MqttQoS.AT_LEAST_ONCE, false, false).await();
    assertThat(w.membership().experiment()).isEqualTo("exp1");

    latest.clear();
    broker.restart(); // persistence off: retained state is gone, as with upstream's broker
    MqttClient again = MqttClient.create(vertx, new MqttClientOptions().setClientId("observer2").setMaxMessageSize(1024 * 1024));
    again.publishHandler(m -> latest.put(m.topicName(), m.payload().toString()));
    again.connect(broker.port(), "127.0.0.1").await();
    again.subscribe(Topics.everything(), 1).await();
    await(vertx, "ready again after the broker restart", () -> "ready".equals(latest.get(Topics.monitorState("w1"))));
  }
}
