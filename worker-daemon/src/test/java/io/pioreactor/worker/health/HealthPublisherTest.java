package io.pioreactor.worker.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.UnitHealth;
import io.pioreactor.protocol.mqtt.MqttConnection;
import io.pioreactor.protocol.mqtt.MqttSettings;
import io.pioreactor.protocol.testing.MosquittoBroker;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The health publisher against Debian's mosquitto, observed as the leader sees it. */
@ExtendWith(VertxExtension.class)
class HealthPublisherTest {
  @TempDir
  Path state;

  private MosquittoBroker broker;
  private MqttConnection mqtt;
  private HealthPublisher publisher;
  private final List<UnitHealth> heard = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start(Vertx vertx) {
    broker = MosquittoBroker.start();
    MqttClient observer = MqttClient.create(vertx, new MqttClientOptions().setClientId("observer"));
    observer.publishHandler(m -> {
      heard.add(UnitHealth.fromBuffer(m.payload()));
    });
    observer.connect(broker.port(), "127.0.0.1").await();
    observer.subscribe(Topics.health("w1"), 1).await();
    mqtt = new MqttConnection(vertx, MqttSettings.fromJson(new JsonObject().put("host", "127.0.0.1").put("port", broker.port())),
        "w1-worker", null);
    mqtt.start().await();
  }

  @AfterEach
  void stop() {
    if (publisher != null) {
      publisher.stop();
    }
    mqtt.close().await();
    broker.close();
  }

  private static void await(Vertx vertx, String what, Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (!condition.get()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      vertx.timer(20).await();
    }
  }

  @Test
  @DisplayName("the health is published retained at start, and at once (long before the next minute) when the self test changes, with a measured round trip")
  void publishesAtStartAndOnChange(Vertx vertx) throws Exception {
    publisher = new HealthPublisher(vertx, mqtt, "w1", new HealthSettings(60, 1, 1),
        new HealthProbe(Path.of("/"), state, "w1", () -> true, p -> {}), () -> "c0578022faec");
    publisher.start();
    await(vertx, "the first health", () -> !heard.isEmpty());
    UnitHealth first = heard.get(0);
    assertThat(first.unit()).isEqualTo("w1");
    assertThat(first.configVersion()).isEqualTo("c0578022faec");
    assertThat(first.hatDetected()).isTrue();
    assertThat(first.disk().path()).isEqualTo(state.toString());
    assertThat(first.brokerRoundTripMs()).as("nothing measured before the first PUBACK").isNull();

    Files.writeString(SelfTestFile.of(state, "w1"), "{\"at\": \"2026-12-02T10:00:00Z\", \"passed\": [\"test_pwm\"], \"failed\": []}");
    await(vertx, "a health with the self test", () -> heard.get(heard.size() - 1).selfTest() != null);
    UnitHealth changed = heard.get(heard.size() - 1);
    assertThat(changed.selfTest().passed()).containsExactly("test_pwm");
    assertThat(changed.brokerRoundTripMs()).as("the first publication's PUBACK, measured").isNotNull().isNotNegative();
    assertThat(heard).as("said on change, not on every look (once a second)").hasSizeLessThan(5);
  }

  @Test
  @DisplayName("what the broker keeps is the latest health: a newcomer reads it at once")
  void retained(Vertx vertx) throws Exception {
    publisher = new HealthPublisher(vertx, mqtt, "w1", new HealthSettings(60, 1, 1),
        new HealthProbe(Path.of("/"), state, "w1", () -> false, p -> {}), () -> null);
    publisher.start();
    await(vertx, "the first health", () -> !heard.isEmpty());
    List<Buffer> late = new CopyOnWriteArrayList<>();
    MqttClient newcomer = MqttClient.create(vertx, new MqttClientOptions().setClientId("newcomer"));
    newcomer.publishHandler(m -> late.add(m.payload()));
    newcomer.connect(broker.port(), "127.0.0.1").await();
    newcomer.subscribe(Topics.health("w1"), 1).await();
    await(vertx, "the retained health", () -> !late.isEmpty());
    assertThat(UnitHealth.fromBuffer(late.get(0)).hatDetected()).isFalse();
    newcomer.disconnect().await();
  }
}
