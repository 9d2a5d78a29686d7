package io.pioreactor.e2e;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.pioreactor.protocol.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test's view of the broker, as {@code mosquitto_sub -t 'pioreactor/#'} would give it: the latest payload of every
 * topic ({@link #retained}, empty payloads remove) and every message in order ({@link #seen}, "topic payload").
 */
final class TopicWatcher {
  public final Map<String, String> retained = new ConcurrentHashMap<>();
  public final List<String> seen = Collections.synchronizedList(new ArrayList<>());
  private final Vertx vertx;
  private final String clientId;
  private final String host;
  private final int port;
  private final String user;
  private final String password;
  private MqttClient client;

  /** Watches as {@code user} (the browsers' read-only user, say); publishes, if ever, as that user too. */
  TopicWatcher(Vertx vertx, String clientId, String host, int port, String user, String password) {
    this.vertx = vertx;
    this.clientId = clientId;
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
  }

  boolean isConnected() {
    return client != null;
  }

  /** Connects and subscribes to everything, unless already connected. */
  void connect() {
    if (client != null) {
      return;
    }
    MqttClientOptions o = new MqttClientOptions().setClientId(clientId).setMaxMessageSize(4 * 1024 * 1024);
    if (user != null) {
      o.setUsername(user).setPassword(password);
    }
    client = MqttClient.create(vertx, o);
    client.publishHandler(m -> {
      seen.add(m.topicName() + " " + m.payload());
      if (m.payload().length() == 0) {
        retained.remove(m.topicName());
      } else {
        retained.put(m.topicName(), m.payload().toString());
      }
    });
    client.connect(port, host).await();
    client.subscribe(Topics.everything(), 1).await();
  }

  /** Drops the session and forgets the latest payloads (the broker went away, or the test wants a fresh read). */
  void forget() {
    if (client != null) {
      client.disconnect().otherwiseEmpty().await();
      client = null;
    }
    retained.clear();
  }

  /** Publishes as this watcher's user (QoS 1). */
  void publish(String topic, String payload, boolean retain) {
    client.publish(topic, Buffer.buffer(payload), MqttQoS.AT_LEAST_ONCE, false, retain).await();
  }

  void close() {
    if (client != null) {
      client.disconnect().otherwiseEmpty().await();
      client = null;
    }
  }
}
