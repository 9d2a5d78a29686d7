package io.pioreactor.bench;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Request/answer through a broker: one client publishes a request, a second answers on another topic,
 * the first waits for the answer before the next request. The bare floor for anything the cluster does
 * over MQTT.
 */
public final class MqttRoundTrip {
  private static final String REQUEST = "bench/request";
  private static final String ANSWER = "bench/answer";

  private MqttRoundTrip() {}

  public static Percentiles measure(Vertx vertx, int port, int qos, int warmup, int samples) {
    return measure(vertx, port, qos, warmup, samples, null, null);
  }

  /** As the broker's user {@code user} (null: anonymous, on an open broker). */
  public static Percentiles measure(Vertx vertx, int port, int qos, int warmup, int samples, String user, String password) {
    MqttQoS q = MqttQoS.valueOf(qos);
    MqttClient responder = MqttClient.create(vertx, options("bench-responder", user, password));
    MqttClient requester = MqttClient.create(vertx, options("bench-requester", user, password));
    responder.connect(port, "127.0.0.1").await();
    requester.connect(port, "127.0.0.1").await();
    responder.publishHandler(m -> responder.publish(ANSWER, m.payload(), q, false, false));
    responder.subscribe(REQUEST, qos).await();
    List<Long> nanos = new ArrayList<>();
    AtomicReference<Promise<Void>> waiting = new AtomicReference<>();
    requester.publishHandler(m -> waiting.get().tryComplete());
    requester.subscribe(ANSWER, qos).await();
    Buffer payload = Buffer.buffer("x".repeat(64));
    for (int i = 0; i < warmup + samples; i++) {
      waiting.set(Promise.promise());
      long t0 = System.nanoTime();
      requester.publish(REQUEST, payload, q, false, false);
      waiting.get().future().await();
      if (i >= warmup) {
        nanos.add(System.nanoTime() - t0);
      }
    }
    requester.disconnect().await();
    responder.disconnect().await();
    return Percentiles.of(nanos);
  }

  private static MqttClientOptions options(String id, String user, String password) {
    MqttClientOptions o = new MqttClientOptions().setClientId(id + "-" + System.nanoTime()).setMaxInflightQueue(1000);
    if (user != null) {
      o.setUsername(user).setPassword(password);
    }
    o.setTcpNoDelay(true);
    return o;
  }
}
