package io.pioreactor.e2e;

import io.pioreactor.protocol.testing.TestCredentials;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Protocol;
import io.pioreactor.protocol.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Bad messages on every topic the daemons subscribe to: random bytes, the command envelope with hostile fields,
 * membership-like objects with wrong types, and setting or state values that are not valid ones.
 */
final class MqttFuzzer {
  private static final Duration NO_HANG = Duration.ofSeconds(15);
  private final Random random;

  MqttFuzzer(Random random) {
    this.random = random;
  }

  /** Publishes {@code cases} messages through the cluster's broker; returns how many were sent. */
  int run(Cluster c, int cases) throws Exception {
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
      for (String attr : List.of(Topics.STATE, Topics.VERSIONS, Topics.IPV4, Topics.MODEL, Topics.WLAN_MAC, Topics.HEALTH)) {
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
      // Each topic from whoever may publish it (the broker drops the rest before any daemon sees it): w1's own
      // topics with w1's credentials, the rest (commands, sets, memberships, a ghost's facts) with the leader's.
      MqttClient asUnit = client(vertx, c, "w1", "w1-fuzz");
      MqttClient asLeader = client(vertx, c, TestCredentials.LEADER_USER, "fuzzer");
      for (int i = 0; i < cases; i++) {
        String topic = topics.get(i < topics.size() ? i : random.nextInt(topics.size()));
        Buffer payload = mqttPayload(topic);
        if (payload.length() == 0 && !topic.endsWith("/set") && !topic.contains("/" + Topics.COMMANDS + "/")) {
          // An empty payload on a state topic is the protocol's own "cleared" (what a retained delete delivers),
          // a valid message from that unit or the leader, not bad input.
          payload = Buffer.buffer("\u0001");
        }
        publishAcked(io.pioreactor.protocol.PublishRules.unitMayPublish("w1", topic) ? asUnit : asLeader, topic, payload);
        if (i % 500 == 499) {
          Cluster.awaitTrue("the leader answers during the MQTT fuzz", NO_HANG, () -> c.http.get("/api/health").status() == 200);
        }
      }
      asUnit.disconnect().await();
      asLeader.disconnect().await();
    } finally {
      vertx.close().await();
    }
    return cases;
  }

  /**
   * Volume from a unit's own credentials, everything the broker lets it publish: {@code n} QoS 0 messages as fast as
   * they can be written, over job states and settings of made-up jobs and experiments, facts, replies and logs, on
   * ever new topics. Returns how many were written before the broker closed the connection (if it did).
   */
  int flood(Cluster c, int n) {
    Vertx vertx = Vertx.vertx();
    int sent = 0;
    int closes = 0;
    long deadline = System.nanoTime() + 20_000_000_000L;
    try {
      // A misbehaving unit that is cut off connects again and goes on, until n are written (or 20 s are up).
      while (sent < n && System.nanoTime() < deadline) {
        MqttClient unit = client(vertx, c, "w1", "w1-flood");
        try {
          for (; sent < n; sent++) {
            String topic = switch (sent % 5) {
              case 0 -> Topics.jobState("w1", "fx" + sent, "job" + sent);
              case 1 -> Topics.job("w1", "fx" + sent, "job" + sent, "setting");
              case 2 -> Topics.monitor("w1", List.of(Topics.IPV4, Topics.VERSIONS, Topics.MODEL).get(random.nextInt(3)));
              case 3 -> Topics.commandReply("w1", "c" + sent);
              default -> Topics.log("w1", "fx" + (sent % 100), "app", "info");
            };
            unit.publish(topic, mqttPayload(topic), MqttQoS.AT_MOST_ONCE, false, false);
          }
        } catch (RuntimeException closed) {
          closes++; // the embedded broker closed the connection: too many new topics, too fast
        }
        unit.disconnect().otherwiseEmpty().await();
      }
    } finally {
      vertx.close().await();
    }
    System.out.println("flood: the broker closed w1's connection " + closes + " times");
    return sent;
  }

  static MqttClient client(Vertx vertx, Cluster c, String user, String clientId) {
    MqttClientOptions o = new MqttClientOptions().setClientId(clientId).setMaxMessageSize(1 << 20).setMaxInflightQueue(1000);
    o.setUsername(user).setPassword(c.credentials.password(user));
    MqttClient client = MqttClient.create(vertx, o);
    java.util.Map<Integer, io.vertx.core.Promise<Void>> acks = new java.util.concurrent.ConcurrentHashMap<>();
    client.publishCompletionHandler(id -> acks.computeIfAbsent(id, k -> io.vertx.core.Promise.promise()).tryComplete());
    ACKS.put(client, acks);
    client.connect(c.brokerPort(), "127.0.0.1").await();
    return client;
  }

  private static final java.util.Map<MqttClient, java.util.Map<Integer, io.vertx.core.Promise<Void>>> ACKS =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * QoS 1, waiting for the broker's PUBACK (it acknowledges a publish it drops too): a publisher faster than the
   * broker would otherwise fill its in-flight window. Bounded: a missing PUBACK is given up after 5 s.
   */
  static void publishAcked(MqttClient client, String topic, Buffer payload) {
    int id = client.publish(topic, payload, MqttQoS.AT_LEAST_ONCE, false, false).await();
    var acks = ACKS.get(client);
    try {
      acks.computeIfAbsent(id, k -> io.vertx.core.Promise.promise()).future().await(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      // the broker closed the connection on it (an oversize packet, say): the next publish says so
    } finally {
      acks.remove(id);
    }
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
        JsonObject args = new JsonObject().put("job", FuzzInputs.hostile(random)).put("experiment", FuzzInputs.hostile(random)).put("options", FuzzInputs.hostile(random))
            .put("new_name", FuzzInputs.hostile(random)).put("experiment_profile_name", FuzzInputs.hostile(random));
        return new JsonObject().put("id", random.nextBoolean() ? FuzzInputs.hostile(random) : "fz-" + random.nextInt())
            .put("args", random.nextBoolean() ? FuzzInputs.hostile(random) : args).toBuffer();
      }
      case 2 -> {
        // a membership-like or reply-like object with wrong types
        return new JsonObject().put("pioreactor_unit", FuzzInputs.hostile(random)).put("is_active", FuzzInputs.hostile(random)).put("experiment", FuzzInputs.hostile(random))
            .put("in_inventory", FuzzInputs.hostile(random)).put("id", FuzzInputs.hostile(random)).put("ok", FuzzInputs.hostile(random)).toBuffer();
      }
      default -> {
        // a value for a setting or state that is not a valid one
        Object v = FuzzInputs.hostile(random);
        String text = v instanceof String s ? s : String.valueOf(v);
        if (topic.endsWith("/" + Topics.STATE + "/set") || topic.endsWith("/" + Topics.STATE)) {
          text = List.of("READY", "disconnect", "", "sleeping ", "ready\u0000", "lost?", text).get(random.nextInt(7));
        } else if (List.of("ready", "sleeping", "disconnected", "lost", "init", "true").contains(text) || FuzzInputs.inRange(text)) {
          text = text + "!"; // a valid value (a number in every setting's range) is not bad input
        }
        return Buffer.buffer(text);
      }
    }
  }
}
