package io.pioreactor.leader.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.auth.PasswordFile;
import io.pioreactor.protocol.testing.FreePorts;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the embedded broker's own guards ({@link UnitAcl}, {@link PublishGuard}) refuse beyond the shared conformance
 * rules: sign-ins checked exactly, kept sessions, wills off a unit's {@code $state}, subscriptions and topics past
 * their bounds, and the retained quota counted against the right unit.
 */
class EmbeddedBrokerGuardTest {
  private static final int RETAINED = 10; // broker.unit_retained_topics, at its smallest
  private static final String EXPERIMENT = "e1";

  @TempDir Path dir;
  private Vertx vertx;
  private EmbeddedBroker broker;
  private Path passwords;
  private final List<MqttClient> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    passwords = dir.resolve("passwd");
    PasswordFile.empty().withPassword(BrokerSettings.LEADER_USER, "leader-pass").withPassword("w1", "2x")
        .withPassword("w12", "other").withPassword("w2", "w2-pass").write(passwords);
    JsonObject c = new JsonObject().put("host", "127.0.0.1").put("port", FreePorts.next()).put("ws_port", FreePorts.next())
        .put("persistence", false).put("password_file", passwords.toString()).put("anonymous_read", true)
        .put("unit_retained_topics", RETAINED);
    broker = new EmbeddedBroker(vertx, BrokerSettings.fromJson(c, dir.resolve("data")));
    broker.start().await();
  }

  @AfterEach
  void stop() {
    clients.forEach(c -> c.disconnect().otherwiseEmpty().await());
    broker.stop().await();
    vertx.close().await();
  }

  private MqttClientOptions options(String user, String password, String clientId) {
    MqttClientOptions o = new MqttClientOptions().setClientId(clientId).setCleanSession(true).setMaxInflightQueue(1_000);
    if (user != null) {
      o.setUsername(user).setPassword(password);
    }
    return o;
  }

  /** Connected, or null when the broker refused. */
  private MqttClient connect(MqttClientOptions o) {
    MqttClient c = MqttClient.create(vertx, o);
    boolean ok = c.connect(broker.port(), "127.0.0.1").map(ack -> true).otherwise(false).await();
    if (!ok) {
      return null;
    }
    clients.add(c);
    return c;
  }

  private MqttClient leader() {
    return connect(options(BrokerSettings.LEADER_USER, "leader-pass", "guard-test-" + System.nanoTime()));
  }

  /** A promise completed when {@code c}'s connection closes. */
  private static Promise<Void> closing(MqttClient c) {
    Promise<Void> closed = Promise.promise();
    c.closeHandler(v -> closed.tryComplete());
    return closed;
  }

  private static boolean closesWithin(Promise<Void> closed, int seconds) {
    try {
      closed.future().await(seconds, TimeUnit.SECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    }
  }

  /** What the leader holds retained under {@code filter}, after the broker's SUBACK and a moment for the replay. */
  private List<String> retained(String filter) throws Exception {
    MqttClient l = leader();
    BlockingQueue<String> q = new LinkedBlockingQueue<>();
    l.publishHandler(m -> {
      if (m.isRetain()) {
        q.add(m.topicName());
      }
    });
    Promise<Void> acked = Promise.promise();
    l.subscribeCompletionHandler(a -> acked.tryComplete());
    l.subscribe(filter, 1).await();
    acked.future().await(5, TimeUnit.SECONDS);
    vertx.timer(300).await();
    List<String> out = new ArrayList<>(q);
    l.disconnect().await();
    clients.remove(l);
    return out;
  }

  @Test
  @DisplayName("a client's own keepalive holds (1.5 x it), above Artemis's 60 s server keepalive too (upstream's web app asks 120 s); keepalive 0 is held 65535 s, not 90")
  void clientKeepaliveKept() throws Exception {
    assertThat(connect(options("w1", "2x", "w1-worker").setKeepAliveInterval(120))).isNotNull();
    assertThat(connect(options("w12", "other", "w12-worker").setKeepAliveInterval(10))).isNotNull();
    try (java.net.Socket none = new java.net.Socket("127.0.0.1", broker.port())) { // (Vert.x's client refuses keepalive 0)
      none.getOutputStream().write(RawMqtt.connect("w2-worker", 0, null, null, "w2", "w2-pass"));
      assertThat(none.getInputStream().readNBytes(4)).as("CONNACK, accepted").containsExactly(0x20, 0x02, 0x00, 0x00);
      assertTimesToLive();
    }
  }

  /** Artemis drops a connection silent for its time-to-live: keepalive 10 s, 120 s, and none (0). */
  private void assertTimesToLive() throws Exception {
    List<Long> expected = List.of(15_000L, 180_000L, EmbeddedBroker.SERVER_KEEPALIVE_S * 1500L);
    List<Long> ttls = List.of();
    for (int i = 0; i < 50 && !ttls.equals(expected); i++) { // (Artemis may set one just after its CONNACK)
      ttls = ((org.apache.activemq.artemis.core.remoting.server.impl.RemotingServiceImpl) broker.artemis().getRemotingService())
          .getConnectionEntries().stream().map(e -> e.ttl).sorted().toList();
      vertx.timer(20).await();
    }
    assertThat(ttls).as("each connection's time-to-live, ms").isEqualTo(expected);
  }

  @Test
  @DisplayName("a sign-in is checked for its user and its password apart: w1 with '2x' signed in never lets w12 in with 'x'")
  void signInsAreNotRunTogether() {
    MqttClient w1 = connect(options("w1", "2x", "w1-worker"));
    assertThat(w1).isNotNull();
    w1.publish(Topics.monitorState("w1"), Buffer.buffer("ready"), MqttQoS.AT_LEAST_ONCE, false, true).await();
    assertThat(connect(options("w12", "x", "w12-worker"))).as("w12 with w1's password run on").isNull();
    assertThat(connect(options("w12", "other", "w12-worker"))).as("w12 with its own").isNotNull();
  }

  @Test
  @DisplayName("a password changed in the file is refused from the next second, though it was accepted just before")
  void changedPasswordRefused() throws Exception {
    assertThat(connect(options("w1", "2x", "w1-worker"))).isNotNull();
    PasswordFile.read(passwords).withPassword("w1", "new one").write(passwords);
    vertx.timer(1_100).await(); // the file is looked at again at most once a second
    assertThat(connect(options("w1", "2x", "w1-stirring"))).as("the old password").isNull();
    assertThat(connect(options("w1", "new one", "w1-stirring"))).as("the new password").isNotNull();
  }

  @Test
  @DisplayName("a unit or a reader may not keep a session: only the leader's messages wait for an absent client")
  void keptSessionsRefused() {
    assertThat(connect(options("w1", "2x", "w1-worker").setCleanSession(false))).isNull();
    assertThat(connect(options(null, null, "mosq-keep").setCleanSession(false))).isNull();
    assertThat(connect(options("w1", "2x", "w1-worker"))).isNotNull();
  }

  @Test
  @DisplayName("a unit's last will may only be one of its own $state topics")
  void willsOnlyOnState() {
    MqttClientOptions onIp = options("w1", "2x", "w1-worker").setWillFlag(true).setWillQoS(1)
        .setWillTopic(Topics.monitor("w1", Topics.IPV4)).setWillMessageBytes(Buffer.buffer("10.0.0.66"));
    assertThat(connect(onIp)).isNull();
    MqttClientOptions onState = options("w1", "2x", "w1-worker").setWillFlag(true).setWillQoS(1)
        .setWillTopic(Topics.monitorState("w1")).setWillMessageBytes(Buffer.buffer("lost"));
    assertThat(connect(onState)).isNotNull();
  }

  @Test
  @DisplayName("more than MAX_FILTERS_PER_SUBSCRIBE filters at once close the connection, and so does one past MAX_SUBSCRIPTIONS")
  void subscriptionsBounded() throws Exception {
    MqttClient many = connect(options(null, null, "mosq-many"));
    Promise<Void> closed = closing(many);
    Map<String, Integer> filters = new LinkedHashMap<>();
    for (int i = 0; i <= PublishGuard.MAX_FILTERS_PER_SUBSCRIBE; i++) {
      filters.put("pioreactor/w" + i + "/#", 0);
    }
    many.subscribe(filters).await();
    assertThat(closesWithin(closed, 5)).as("closed for one SUBSCRIBE too many").isTrue();

    MqttClient steady = connect(options(null, null, "mosq-steady"));
    Promise<Void> steadyClosed = closing(steady);
    for (int i = 0; i < PublishGuard.MAX_SUBSCRIPTIONS; i += 16) {
      Map<String, Integer> batch = new LinkedHashMap<>();
      for (int j = i; j < i + 16; j++) {
        batch.put("pioreactor/w" + j + "/#", 0);
      }
      steady.subscribe(batch).await();
    }
    assertThat(closesWithin(steadyClosed, 1)).as("MAX_SUBSCRIPTIONS are allowed").isFalse();
    steady.subscribe("pioreactor/one-more/#", 0).await();
    assertThat(closesWithin(steadyClosed, 5)).as("closed for one subscription too many").isTrue();
  }

  @Test
  @DisplayName("a topic longer than MAX_TOPIC characters from a unit closes its connection and is not kept")
  void longTopicsRefused() throws Exception {
    MqttClient w1 = connect(options("w1", "2x", "w1-worker"));
    Promise<Void> closed = closing(w1);
    String topic = Topics.jobState("w1", "e".repeat(PublishGuard.MAX_TOPIC), Jobs.STIRRING);
    w1.publish(topic, Buffer.buffer("ready"), MqttQoS.AT_MOST_ONCE, false, true);
    assertThat(closesWithin(closed, 5)).isTrue();
    assertThat(retained("pioreactor/w1/#")).isEmpty();
  }

  @Test
  @DisplayName("a unit's retained topics are counted against that unit only when it publishes its own: another's refused publishes use none of its quota")
  void retainedQuotaCountsOwnTopics() throws Exception {
    for (int i = 0; i < 3; i++) { // refused by the ACL (w1's topics, not w2's), each on a connection of its own
      MqttClient w2 = connect(options("w2", "w2-pass", "w2-worker"));
      Promise<Void> closed = closing(w2);
      w2.publish(Topics.job("w1", EXPERIMENT, Jobs.STIRRING, "by_w2_" + i), Buffer.buffer("x"), MqttQoS.AT_LEAST_ONCE, false, true);
      closesWithin(closed, 1);
      clients.remove(w2);
      w2.disconnect().otherwiseEmpty().await();
    }
    MqttClient w1 = connect(options("w1", "2x", "w1-worker"));
    for (int i = 0; i < RETAINED; i++) {
      w1.publish(Topics.job("w1", EXPERIMENT, Jobs.STIRRING, "s" + i), Buffer.buffer("x"), MqttQoS.AT_LEAST_ONCE, false, true).await();
    }
    vertx.timer(200).await();
    assertThat(retained(Topics.jobAttributesOf("w1"))).hasSize(RETAINED);
  }

  @Test
  @DisplayName("a unit at its retained quota still publishes its dosing and LED change events, which are not retained and count for none of it")
  void eventsAreOutsideTheRetainedQuota() throws Exception {
    MqttClient w1 = connect(options("w1", "2x", "w1-worker"));
    for (int i = 0; i < RETAINED; i++) {
      w1.publish(Topics.job("w1", EXPERIMENT, Jobs.STIRRING, "s" + i), Buffer.buffer("x"), MqttQoS.AT_LEAST_ONCE, false, true).await();
    }
    MqttClient l = leader();
    BlockingQueue<String> q = new LinkedBlockingQueue<>();
    l.publishHandler(m -> q.add(m.topicName()));
    Promise<Void> subscribed = Promise.promise();
    l.subscribeCompletionHandler(a -> subscribed.tryComplete());
    l.subscribe(Map.of(Topics.allDosingEvents(), 1, Topics.allLedChangeEvents(), 1)).await();
    subscribed.future().await(5, TimeUnit.SECONDS);
    Promise<Void> closed = closing(w1);
    for (int i = 0; i < 3; i++) {
      w1.publish(Topics.dosingEvents("w1", EXPERIMENT), Buffer.buffer("{}"), MqttQoS.AT_LEAST_ONCE, false, false).await();
      w1.publish(Topics.ledChangeEvents("w1", EXPERIMENT), Buffer.buffer("{}"), MqttQoS.AT_LEAST_ONCE, false, false).await();
    }
    List<String> arrived = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String t = q.poll(5, TimeUnit.SECONDS);
      assertThat(t).as("event %s of 6 (arrived: %s)", i + 1, arrived).isNotNull();
      arrived.add(t);
    }
    assertThat(arrived).containsOnly(Topics.dosingEvents("w1", EXPERIMENT), Topics.ledChangeEvents("w1", EXPERIMENT));
    assertThat(closesWithin(closed, 1)).as("w1 still connected").isFalse();
    assertThat(retained(Topics.unitTree("w1"))).hasSize(RETAINED);
  }

  @Test
  @DisplayName("past its retained quota a unit's retained publish is refused until the leader clears one of its topics")
  void leaderClearFreesQuota() throws Exception {
    MqttClient w1 = connect(options("w1", "2x", "w1-worker"));
    for (int i = 0; i < RETAINED; i++) {
      w1.publish(Topics.job("w1", EXPERIMENT, Jobs.STIRRING, "s" + i), Buffer.buffer("x"), MqttQoS.AT_LEAST_ONCE, false, true).await();
    }
    Promise<Void> closed = closing(w1);
    w1.publish(Topics.job("w1", EXPERIMENT, Jobs.STIRRING, "over"), Buffer.buffer("x"), MqttQoS.AT_MOST_ONCE, false, true);
    assertThat(closesWithin(closed, 5)).as("one past the quota").isTrue();
    clients.remove(w1);

    leader().publish(Topics.job("w1", EXPERIMENT, Jobs.STIRRING, "s0"), Buffer.buffer(), MqttQoS.AT_LEAST_ONCE, false, true).await();
    MqttClient again = connect(options("w1", "2x", "w1-worker"));
    Promise<Void> againClosed = closing(again);
    again.publish(Topics.job("w1", EXPERIMENT, Jobs.STIRRING, "over"), Buffer.buffer("x"), MqttQoS.AT_LEAST_ONCE, false, true).await();
    assertThat(closesWithin(againClosed, 1)).as("room again after the leader's clear").isFalse();
  }

  @Test
  @DisplayName("a unit's retained will counts toward its retained topics: past the quota such a will is refused at CONNECT")
  void retainedWillsCount() throws Exception {
    MqttClient w1 = connect(options("w1", "2x", "w1-worker"));
    java.util.concurrent.atomic.AtomicInteger acked = new java.util.concurrent.atomic.AtomicInteger();
    w1.publishCompletionHandler(id -> acked.incrementAndGet());
    for (int i = 0; i < RETAINED; i++) {
      w1.publish(Topics.jobState("w1", EXPERIMENT, "job" + i), Buffer.buffer("ready"), MqttQoS.AT_LEAST_ONCE, false, true).await();
    }
    // A publish's future says it was sent, not taken: the will below comes on another connection, so every PUBACK
    // first, or the broker may meet the will before it has counted the last topics.
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (acked.get() < RETAINED) {
      assertThat(System.nanoTime()).as("PUBACKs for the retained states").isLessThan(deadline);
      Thread.sleep(10);
    }
    MqttClientOptions will = options("w1", "2x", "w1-stirring").setWillFlag(true).setWillQoS(1).setWillRetain(true)
        .setWillTopic(Topics.jobState("w1", EXPERIMENT, Jobs.STIRRING)).setWillMessageBytes(Buffer.buffer("lost"));
    assertThat(connect(will)).isNull();
    MqttClientOptions heldWill = options("w1", "2x", "w1-stirring").setWillFlag(true).setWillQoS(1).setWillRetain(true)
        .setWillTopic(Topics.jobState("w1", EXPERIMENT, "job0")).setWillMessageBytes(Buffer.buffer("lost"));
    assertThat(connect(heldWill)).as("a will on a topic it already holds").isNotNull();
  }
}
