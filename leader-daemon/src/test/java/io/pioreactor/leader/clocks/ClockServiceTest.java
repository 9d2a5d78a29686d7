package io.pioreactor.leader.clocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import io.pioreactor.leader.api.ApiException;
import io.pioreactor.leader.cluster.CommandClient;
import io.pioreactor.protocol.ClockExchange;
import io.pioreactor.protocol.CommandReply;
import io.pioreactor.protocol.CommandRequest;
import io.pioreactor.protocol.Protocol;
import io.pioreactor.protocol.Topic;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.mqtt.MqttConnection;
import io.pioreactor.protocol.mqtt.MqttSettings;
import io.pioreactor.protocol.testing.MosquittoBroker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The leader's clock service against Debian's mosquitto: the leader's own CommandClient on an MQTT session, fed the
 * replies as ClusterLink feeds them, and units played by plain MQTT clients that answer honestly, late, forged, under
 * another name or with nonsense.
 */
@ExtendWith(VertxExtension.class)
class ClockServiceTest {
  private static final double AHEAD_MS = 30_000;
  private MosquittoBroker broker;
  private MqttConnection leader;
  private ClockService clocks;
  private ClockOffsets offsets;
  private CommandClient commands;
  private final List<MqttClient> units = new ArrayList<>();
  /** Replies the leader's session received (whether the CommandClient took them or not). */
  private final java.util.concurrent.atomic.AtomicInteger repliesHeard = new java.util.concurrent.atomic.AtomicInteger();

  /** The leader's parts live on one event loop, as in the leader: every call to them goes through it. */
  private io.vertx.core.Context loop;

  private <T> Future<T> on(java.util.function.Supplier<Future<T>> call) {
    io.vertx.core.Promise<T> p = io.vertx.core.Promise.promise();
    loop.runOnContext(v -> call.get().onComplete(p));
    return p.future();
  }

  @BeforeEach
  void start(Vertx vertx) {
    broker = MosquittoBroker.start();
    loop = vertx.getOrCreateContext();
    on(() -> {
      wire(vertx);
      return leader.start();
    }).await();
  }

  private void wire(Vertx vertx) {
    leader = new MqttConnection(vertx, new MqttSettings("127.0.0.1", broker.port(), null, null, 10), "leader-" + UUID.randomUUID(), null);
    commands = new CommandClient(vertx, leader);
    leader.subscribe(Topics.allCommandReplies(), 1).messageHandler(m -> Topic.parse(m.topicName())
        .filter(Topic::isCommandReply)
        .ifPresent(t -> {
          repliesHeard.incrementAndGet();
          commands.onReply(t.unit(), CommandReply.fromBuffer(m.payload()));
        }));
    offsets = new ClockOffsets(1_000);
    clocks = new ClockService(vertx, commands, new ClockSettings(Duration.ofHours(1), 3, 1.0, Duration.ofMillis(500)), offsets,
        () -> Future.succeededFuture(Set.of("w1")), u -> true);
  }

  @AfterEach
  void stop() {
    units.forEach(c -> c.disconnect().otherwiseEmpty().await());
    on(() -> leader.close()).await();
    broker.close();
  }

  /** A unit {@code name} answering each request of {@code command} with {@code answer(client, request)}. */
  private void unit(Vertx vertx, String name, String command, BiConsumer<MqttClient, CommandRequest> answer) {
    MqttClient c = MqttClient.create(vertx, new MqttClientOptions().setClientId(name + "-" + UUID.randomUUID()));
    c.connect(broker.port(), "127.0.0.1").await();
    c.publishHandler(m -> answer.accept(c, CommandRequest.fromBuffer(m.payload())));
    c.subscribe(Topics.command(name, command), 1).await();
    units.add(c);
  }

  private static void reply(MqttClient c, String topicUnit, String claimedUnit, String id, String command, JsonObject result) {
    c.publish(Topics.commandReply(topicUnit, command), CommandReply.success(id, claimedUnit, result).toBuffer(),
        io.netty.handler.codec.mqtt.MqttQoS.AT_LEAST_ONCE, false, false);
  }

  /** An honest unit {@code aheadMs} ahead of the leader's clock. */
  private static JsonObject honest(double aheadMs) {
    double t2 = ClockExchange.nowMs() + aheadMs;
    return new JsonObject().put(ClockExchange.T2, t2).put(ClockExchange.T3, ClockExchange.nowMs() + aheadMs);
  }

  @Test
  @DisplayName("a unit 30 s ahead is measured at +30 s, and its clock is a warning")
  void measuresAnOffset(Vertx vertx) {
    unit(vertx, "w1", Protocol.CLOCK, (c, req) -> reply(c, "w1", "w1", req.id(), Protocol.CLOCK, honest(AHEAD_MS)));

    UnitClock c = on(() -> clocks.measure("w1")).await();

    assertThat(c.offsetMs()).isCloseTo(AHEAD_MS, within(c.roundTripMs() / 2 + 5));
    assertThat(offsets.json("w1").getBoolean("within_threshold")).isFalse();
    assertThat(offsets.warning("w1")).hasValueSatisfying(w -> assertThat(w).contains("w1").contains("+30.0 s"));
  }

  @Test
  @DisplayName("a unit within the threshold has no warning")
  void noWarningWithin(Vertx vertx) {
    unit(vertx, "w1", Protocol.CLOCK, (c, req) -> reply(c, "w1", "w1", req.id(), Protocol.CLOCK, honest(0)));

    on(() -> clocks.measure("w1")).await();

    assertThat(offsets.warning("w1")).isEmpty();
    assertThat(offsets.json("w1").getBoolean("within_threshold")).isTrue();
  }

  @Test
  @DisplayName("replies from another unit, or under another unit's name, are ignored: the unit's own answer counts")
  void anotherUnitsReplyIsIgnored(Vertx vertx) {
    unit(vertx, "w1", Protocol.CLOCK, (c, req) -> {
      // An impostor answers first, an hour off: once under w1's topic claiming to be w2, once as w2 on its own topic.
      reply(c, "w1", "w2", req.id(), Protocol.CLOCK, honest(3_600_000));
      reply(c, "w2", "w2", req.id(), Protocol.CLOCK, honest(3_600_000));
      vertx.setTimer(50, t -> reply(c, "w1", "w1", req.id(), Protocol.CLOCK, honest(0)));
    });

    UnitClock c = on(() -> clocks.measure("w1")).await();

    assertThat(Math.abs(c.offsetMs())).isLessThan(1_000);
  }

  @Test
  @DisplayName("a forged reply (an id the leader never sent) is ignored: no answer, nothing measured")
  void forgedReplyIsIgnored(Vertx vertx) {
    unit(vertx, "w1", Protocol.CLOCK, (c, req) -> reply(c, "w1", "w1", "forged-" + req.id(), Protocol.CLOCK, honest(AHEAD_MS)));

    Throwable err = catchThrowable(() -> on(() -> clocks.measure("w1")).await());

    assertThat(err).hasMessageContaining("no clock sample");
    assertThat(offsets.get("w1")).isEmpty();
  }

  @Test
  @DisplayName("a reply later than the wait is ignored: no answer, nothing measured")
  void lateReplyIsIgnored(Vertx vertx) throws InterruptedException {
    unit(vertx, "w1", Protocol.CLOCK, (c, req) -> {
      JsonObject answer = honest(AHEAD_MS); // taken on time, sent late
      vertx.setTimer(800, t -> reply(c, "w1", "w1", req.id(), Protocol.CLOCK, answer));
    });

    Throwable err = catchThrowable(() -> on(() -> clocks.measure("w1")).await());
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (repliesHeard.get() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20); // until the late reply has reached the leader
    }

    assertThat(err).hasMessageContaining("no answer");
    assertThat(repliesHeard.get()).isEqualTo(1);
    assertThat(offsets.get("w1")).isEmpty();
  }

  @Test
  @DisplayName("a huge number in a reply is ignored, and the unit keeps the clock last measured")
  void hugeNumberIsIgnored(Vertx vertx) {
    List<Boolean> honestNow = new ArrayList<>(List.of(true));
    unit(vertx, "w1", Protocol.CLOCK, (c, req) -> reply(c, "w1", "w1", req.id(), Protocol.CLOCK, honestNow.get(0) ? honest(0)
        : new JsonObject().put(ClockExchange.T2, 1e300).put(ClockExchange.T3, 1e300)));
    UnitClock before = on(() -> clocks.measure("w1")).await();
    honestNow.set(0, false);

    Throwable err = catchThrowable(() -> on(() -> clocks.measure("w1")).await());

    assertThat(err).hasMessageContaining("between 1970 and 2100");
    assertThat(offsets.get("w1")).contains(before);
  }

  @Test
  @DisplayName("a sync steps each unit and reports its clock before and after; a second sync meanwhile is refused 409")
  void syncBeforeAfterAndOneAtATime(Vertx vertx) {
    double[] ahead = {AHEAD_MS};
    unit(vertx, "w1", Protocol.CLOCK, (c, req) -> reply(c, "w1", "w1", req.id(), Protocol.CLOCK, honest(ahead[0])));
    // The unit's step command takes a moment, then its clock is right.
    unit(vertx, "w1", Protocol.SYNC_CLOCK, (c, req) -> vertx.setTimer(300, t -> {
      ahead[0] = 0;
      reply(c, "w1", "w1", req.id(), Protocol.SYNC_CLOCK, new JsonObject());
    }));

    Future<JsonArray> first = on(() -> clocks.sync(Set.of("w1")));
    Throwable second = catchThrowable(() -> on(() -> clocks.sync(Set.of("w1"))).await());
    JsonObject result = first.await().getJsonObject(0);

    assertThat(second).isInstanceOf(ApiException.class);
    assertThat(((ApiException) second).status()).isEqualTo(409);
    assertThat(result.getBoolean("ok")).isTrue();
    assertThat(result.getJsonObject("before").getDouble("offset_ms")).isCloseTo(AHEAD_MS, within(100.0));
    assertThat(Math.abs(result.getJsonObject("after").getDouble("offset_ms"))).isLessThan(100);
    assertThat(result.getBoolean("within_threshold")).isTrue();
    assertThat(offsets.warning("w1")).isEmpty();
  }

  @Test
  @DisplayName("a unit whose step command fails is reported with the unit's reason")
  void failedStepIsReported(Vertx vertx) {
    unit(vertx, "w1", Protocol.CLOCK, (c, req) -> reply(c, "w1", "w1", req.id(), Protocol.CLOCK, honest(AHEAD_MS)));
    unit(vertx, "w1", Protocol.SYNC_CLOCK, (c, req) -> c.publish(Topics.commandReply("w1", Protocol.SYNC_CLOCK),
        CommandReply.failure(req.id(), "w1", "the clock sync command [sudo, chronyc, makestep] exited with 1: 503 No such source")
            .toBuffer(), io.netty.handler.codec.mqtt.MqttQoS.AT_LEAST_ONCE, false, false));

    JsonObject result = on(() -> clocks.sync(Set.of("w1"))).await().getJsonObject(0);

    assertThat(result.getBoolean("ok")).isFalse();
    assertThat(result.getString("error")).contains("exited with 1").contains("No such source");
    assertThat(result.getBoolean("within_threshold")).isFalse();
  }

  @Test
  @DisplayName("a sync's after-measurement starts after the step: a measurement under way since before it is waited out, not taken")
  void afterMeasurementStartsAfterTheStep(Vertx vertx) throws Exception {
    java.util.concurrent.atomic.AtomicLong ahead = new java.util.concurrent.atomic.AtomicLong((long) AHEAD_MS);
    // Each answer is taken as the request arrives and sent 150 ms later: measurements last about 450 ms.
    unit(vertx, "w1", Protocol.CLOCK, (c, req) -> {
      JsonObject answer = honest(ahead.get());
      vertx.setTimer(150, t -> reply(c, "w1", "w1", req.id(), Protocol.CLOCK, answer));
    });
    unit(vertx, "w1", Protocol.SYNC_CLOCK, (c, req) -> vertx.setTimer(300, t -> {
      ahead.set(0);
      reply(c, "w1", "w1", req.id(), Protocol.SYNC_CLOCK, new JsonObject());
    }));
    // Rounds every 100 ms: a measurement is always under way, one starts while the unit steps its clock.
    ClockService busy = on(() -> Future.succeededFuture(new ClockService(vertx, commands,
        new ClockSettings(Duration.ofMillis(100), 3, 1.0, Duration.ofMillis(500)), offsets,
        () -> Future.succeededFuture(Set.of("w1")), u -> true).start())).await();
    try {
      long deadline = System.nanoTime() + 15_000_000_000L;
      while (offsets.get("w1").isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20); // until the rounds are measuring
      }

      JsonObject result = on(() -> busy.sync(Set.of("w1"))).await().getJsonObject(0);

      assertThat(result.getJsonObject("before").getDouble("offset_ms")).isCloseTo(AHEAD_MS, within(100.0));
      assertThat(Math.abs(result.getJsonObject("after").getDouble("offset_ms"))).isLessThan(100);
    } finally {
      on(() -> {
        busy.stop();
        return Future.succeededFuture();
      }).await();
    }
  }
}
