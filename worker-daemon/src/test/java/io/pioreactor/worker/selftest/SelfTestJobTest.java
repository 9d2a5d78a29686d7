package io.pioreactor.worker.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import com.pi4j.context.Context;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.pioreactor.protocol.CommandReply;
import io.pioreactor.protocol.CommandRequest;
import io.pioreactor.protocol.JobRun;
import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Membership;
import io.pioreactor.protocol.Protocol;
import io.pioreactor.protocol.SelfTestResult;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.testing.MosquittoBroker;
import io.pioreactor.worker.WorkerVerticle;
import io.pioreactor.worker.config.WorkerConfig;
import io.pioreactor.worker.hardware.GpioContexts;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The self test as a job of a real worker verticle against Debian's mosquitto (pi4j's mock platform): the rules it runs
 * by, observed only through MQTT and its file.
 */
@ExtendWith(VertxExtension.class)
class SelfTestJobTest {
  private static final String EXP = "exp1";
  private MosquittoBroker broker;
  private MqttClient observer;
  private final Map<String, String> latest = new ConcurrentHashMap<>();
  private final Context pi4j = GpioContexts.mock();
  private WorkerVerticle worker;
  @TempDir
  Path state;

  @BeforeEach
  void start(Vertx vertx) {
    broker = MosquittoBroker.start();
    observer = MqttClient.create(vertx, new MqttClientOptions().setClientId("observer").setMaxMessageSize(1024 * 1024));
    observer.publishHandler(m -> latest.put(m.topicName(), m.payload().toString()));
    observer.connect(broker.port(), "127.0.0.1").await();
    observer.subscribe(Topics.everything(), 1).await();
    membership(true, EXP);
    WorkerConfig config = WorkerConfig.fromJson(new JsonObject().put("unit", "w1")
        .put("mqtt", new JsonObject().put("host", "127.0.0.1").put("port", broker.port()).put("keepalive_seconds", 2))
        .put("reboot_command", new io.vertx.core.json.JsonArray().add("true"))
        .put("shutdown_command", new io.vertx.core.json.JsonArray().add("true"))
        .put("state_dir", state.toString()), "x");
    worker = new WorkerVerticle(config, pi4j);
    vertx.deployVerticle(worker).await();
    await(vertx, "membership", () -> worker.membership().isActive());
  }

  @AfterEach
  void stop(Vertx vertx) {
    vertx.undeploy(vertx.deploymentIDs().iterator().next()).await();
    broker.close();
    pi4j.shutdown();
  }

  private void membership(boolean active, String experiment) {
    observer.publish(Topics.assignment("w1"), new Membership("w1", active, experiment, "t", "t").toBuffer(),
        MqttQoS.AT_LEAST_ONCE, false, true).await();
  }

  private CommandReply run(Vertx vertx, String job, String experiment) {
    return command(vertx, Protocol.RUN_JOB, new JobRun(job, experiment, new JsonObject(), List.of()).toJson());
  }

  private CommandReply command(Vertx vertx, String name, JsonObject args) {
    String id = UUID.randomUUID().toString();
    String reply = Topics.commandReply("w1", name);
    latest.remove(reply);
    observer.publish(Topics.command("w1", name), new CommandRequest(id, args).toBuffer(), MqttQoS.AT_LEAST_ONCE, false, false).await();
    await(vertx, name + " reply", () -> latest.getOrDefault(reply, "").contains(id));
    return CommandReply.fromBuffer(Buffer.buffer(latest.get(reply)));
  }

  private String selfTest(String attribute) {
    return latest.get(Topics.job("w1", Topics.UNIT_LEVEL, Jobs.SELF_TEST, attribute));
  }

  private static void await(Vertx vertx, String what, Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!condition.get()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      vertx.timer(20).await();
    }
  }

  @Test
  @DisplayName("it runs to its end under $experiment though the unit changes experiment meanwhile, and its results stay retained")
  void runsThroughAReassignment(Vertx vertx) throws Exception {
    CommandReply started = run(vertx, Jobs.SELF_TEST, Topics.UNIT_LEVEL);
    assertThat(started.ok()).as(started.error()).isTrue();
    membership(true, "exp2");
    await(vertx, "the self test disconnected", () -> "disconnected".equals(selfTest(Topics.STATE)));
    await(vertx, "its results", () -> selfTest(SelfTestResult.SETTING) != null && !selfTest(SelfTestResult.SETTING).isEmpty());
    SelfTestResult r = SelfTestResult.fromBuffer(Buffer.buffer(selfTest(SelfTestResult.SETTING)));
    assertThat(r.passed()).containsExactlyElementsOf(SelfTestChecks.NAMES);
    assertThat(selfTest(SelfTestResult.ALL_PASSED)).isEqualTo("1");
    assertThat(Files.readString(state.resolve("self-test-w1.json"))).contains(r.at());
  }

  @Test
  @DisplayName("retry-failed with k runs again only the matching earlier failure; an earlier failure it does not run again stays failed")
  void retryFailedWithKKeepsOtherFailures(Vertx vertx) throws Exception {
    Files.writeString(state.resolve("self-test-w1.json"), new JsonObject().put("at", "2026-12-01T10:00:00Z")
        .put("passed", new io.vertx.core.json.JsonArray(List.of(SelfTestChecks.PDS_AND_LEDS, SelfTestChecks.AMBIENT_LIGHT,
            SelfTestChecks.HEATING_PCB, SelfTestChecks.PWM_OUTPUTS)))
        .put("failed", new io.vertx.core.json.JsonArray(List.of(SelfTestChecks.HAT_PRESENT, SelfTestChecks.RPM_AND_STIRRING))).encode());
    CommandReply started = command(vertx, Protocol.RUN_JOB, new JobRun(Jobs.SELF_TEST, Topics.UNIT_LEVEL,
        new JsonObject().put("retry-failed", true).put("k", "HAT"), List.of()).toJson());
    assertThat(started.ok()).as(started.error()).isTrue();
    await(vertx, "its results", () -> selfTest(SelfTestResult.SETTING) != null && !selfTest(SelfTestResult.SETTING).isEmpty());
    SelfTestResult r = SelfTestResult.fromBuffer(Buffer.buffer(selfTest(SelfTestResult.SETTING)));
    assertThat(r.passed()).contains(SelfTestChecks.HAT_PRESENT).doesNotContain(SelfTestChecks.RPM_AND_STIRRING);
    assertThat(r.failed()).containsExactly(SelfTestChecks.RPM_AND_STIRRING);
    assertThat(r.reasons().get(SelfTestChecks.RPM_AND_STIRRING)).contains("not run again");
    assertThat(selfTest(SelfTestResult.ALL_PASSED)).isEqualTo("0");
  }

  @Test
  @DisplayName("set inactive while it runs, it stops before its end: no results, no file; an inactive unit refuses it")
  void inactiveStopsAndRefusesIt(Vertx vertx) {
    assertThat(run(vertx, Jobs.SELF_TEST, Topics.UNIT_LEVEL).ok()).isTrue();
    membership(false, EXP);
    await(vertx, "the self test disconnected", () -> "disconnected".equals(selfTest(Topics.STATE)));
    assertThat(selfTest(SelfTestResult.SETTING)).isNullOrEmpty();
    assertThat(state.resolve("self-test-w1.json")).doesNotExist();
    CommandReply refused = run(vertx, Jobs.SELF_TEST, Topics.UNIT_LEVEL);
    assertThat(refused.ok()).isFalse();
    assertThat(refused.error()).contains("inactive");
  }

  @Test
  @DisplayName("it refuses to start while another job runs, and nothing else starts while it runs")
  void itRunsAlone(Vertx vertx) {
    assertThat(run(vertx, Jobs.STIRRING, EXP).ok()).isTrue();
    CommandReply refused = run(vertx, Jobs.SELF_TEST, Topics.UNIT_LEVEL);
    assertThat(refused.ok()).isFalse();
    assertThat(refused.error()).contains("stop stirring on w1 first");
    assertThat(command(vertx, Protocol.STOP_JOBS, new io.pioreactor.protocol.JobStop(Jobs.STIRRING, null).toJson()).ok()).isTrue();
    assertThat(run(vertx, Jobs.SELF_TEST, Topics.UNIT_LEVEL).ok()).isTrue();
    CommandReply waits = run(vertx, Jobs.OD_READING, EXP);
    assertThat(waits.ok()).isFalse();
    assertThat(waits.error()).contains("the self test is running on w1");
  }
}
