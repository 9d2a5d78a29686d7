package io.pioreactor.worker.activities;

import static org.assertj.core.api.Assertions.assertThat;

import com.pi4j.context.Context;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.pioreactor.protocol.CommandReply;
import io.pioreactor.protocol.CommandRequest;
import io.pioreactor.protocol.DosingEvent;
import io.pioreactor.protocol.LedChangeEvent;
import io.pioreactor.protocol.MeasuredRpm;
import io.pioreactor.protocol.JobRun;
import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Membership;
import io.pioreactor.protocol.Protocol;
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
import java.util.ArrayList;
import java.util.Collections;
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

/**
 * Jobs on a real worker verticle against Debian's mosquitto, driven and observed only through MQTT; the HAT is
 * pi4j's mock platform, and its PWM pins are read back both from pi4j and from the retained {@code pwms/dc}.
 */
@ExtendWith(VertxExtension.class)
class ActivitiesTest {
  private static final String EXP = "exp1";
  private static final double STIRRING_UPDATE_S = 0.2;
  private MosquittoBroker broker;
  private MqttClient observer;
  private final Map<String, String> latest = new ConcurrentHashMap<>();
  /** Every payload heard, by topic, in order. */
  private final Map<String, List<String>> heard = new ConcurrentHashMap<>();
  private final List<String> states = Collections.synchronizedList(new ArrayList<>());
  private final Context pi4j = GpioContexts.mock();
  private WorkerVerticle worker;

  @BeforeEach
  void start(Vertx vertx) {
    broker = MosquittoBroker.start();
    observer = MqttClient.create(vertx, new MqttClientOptions().setClientId("observer").setMaxMessageSize(1024 * 1024));
    observer.publishHandler(m -> {
      latest.put(m.topicName(), m.payload().toString());
      heard.computeIfAbsent(m.topicName(), t -> Collections.synchronizedList(new ArrayList<>())).add(m.payload().toString());
      if (m.topicName().endsWith("/" + Topics.STATE) && !m.topicName().contains("/monitor/")) {
        states.add(m.topicName().split("/")[3] + "=" + m.payload());
      }
    });
    observer.connect(broker.port(), "127.0.0.1").await();
    observer.subscribe(Topics.everything(), 1).await();
    membership(true, EXP);
    WorkerConfig config = WorkerConfig.fromJson(new JsonObject().put("unit", "w1")
        .put("mqtt", new JsonObject().put("host", "127.0.0.1").put("port", broker.port()).put("keepalive_seconds", 2))
        .put("hardware", new JsonObject().put("stirring_update_seconds", STIRRING_UPDATE_S))
        // never the defaults (sudo systemctl reboot / poweroff) on the test machine
        .put("reboot_command", new io.vertx.core.json.JsonArray().add("true"))
        .put("shutdown_command", new io.vertx.core.json.JsonArray().add("true"))
        .put("state_dir", System.getProperty("java.io.tmpdir") + "/pioreactor-test-state-" + ProcessHandle.current().pid()), "x");
    worker = new WorkerVerticle(config, pi4j);
    vertx.deployVerticle(worker).await();
    await(vertx, "membership", () -> worker.membership().isActive());
  }

  @AfterEach
  void stop(Vertx vertx) {
    // The worker first, so its jobs stop cleanly while the broker is still there.
    vertx.undeploy(vertx.deploymentIDs().iterator().next()).await();
    broker.close();
    pi4j.shutdown();
  }

  private void membership(boolean active, String experiment) {
    observer.publish(Topics.assignment("w1"), new Membership("w1", active, experiment, "t", "t").toBuffer(),
        MqttQoS.AT_LEAST_ONCE, false, true).await();
  }

  private CommandReply command(Vertx vertx, String name, JsonObject args) {
    String id = UUID.randomUUID().toString();
    latest.remove(Topics.commandReply("w1", name));
    observer.publish(Topics.command("w1", name), new CommandRequest(id, args).toBuffer(), MqttQoS.AT_LEAST_ONCE, false, false).await();
    await(vertx, name + " reply", () -> latest.getOrDefault(Topics.commandReply("w1", name), "").contains(id));
    return CommandReply.fromBuffer(Buffer.buffer(latest.get(Topics.commandReply("w1", name))));
  }

  private CommandReply run(Vertx vertx, String job, String experiment, JsonObject options) {
    return command(vertx, Protocol.RUN_JOB, new JobRun(job, experiment, options, List.of()).toJson());
  }

  private void set(String job, String attribute, String value) {
    observer.publish(Topics.set("w1", EXP, job, attribute), Buffer.buffer(value), MqttQoS.AT_LEAST_ONCE, false, false).await();
  }

  private double published(String pin) {
    String dc = latest.get(Topics.pwmDutyCycles("w1"));
    return dc == null ? -1 : new JsonObject(dc).getDouble(pin, 0.0);
  }

  /** What was heard on {@code topic} so far, in order (empty payloads, i.e. clears, left out). */
  private List<String> heardOn(String topic) {
    List<String> h = heard.getOrDefault(topic, List.of());
    synchronized (h) {
      return h.stream().filter(p -> !p.isEmpty()).toList();
    }
  }

  private List<LedChangeEvent> ledEvents() {
    return heardOn(Topics.ledChangeEvents("w1", EXP)).stream().map(p -> LedChangeEvent.fromBuffer(Buffer.buffer(p))).toList();
  }

  private List<DosingEvent> dosingEvents() {
    return heardOn(Topics.dosingEvents("w1", EXP)).stream().map(p -> DosingEvent.fromBuffer(Buffer.buffer(p))).toList();
  }

  private List<MeasuredRpm> measuredRpms() {
    return heardOn(Topics.job("w1", EXP, Jobs.STIRRING, Topics.MEASURED_RPM)).stream()
        .map(p -> MeasuredRpm.fromBuffer(Buffer.buffer(p))).toList();
  }

  private void awaitState(Vertx vertx, String job, String state) {
    await(vertx, job + " " + state, () -> state.equals(latest.get(Topics.jobState("w1", EXP, job))));
  }

  private static void await(Vertx vertx, String what, Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.get()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      vertx.timer(20).await();
    }
  }

  @Test
  @DisplayName("stirring: start → ready with its PWM on, settings retained and settable, pause/resume, stop leaves PWM 0")
  void stirringLifecycle(Vertx vertx) {
    CommandReply r = run(vertx, Jobs.STIRRING, EXP, new JsonObject().put("target_rpm", 400));
    assertThat(r.ok()).as(r.error()).isTrue();
    assertThat(latest.get(Topics.jobState("w1", EXP, Jobs.STIRRING))).isEqualTo("ready");
    assertThat(latest.get(Topics.job("w1", EXP, Jobs.STIRRING, "target_rpm"))).isEqualTo("400.0");
    await(vertx, "PWM 17 at 25 %", () -> published("17") == 25.0);
    assertThat(worker.hat().dutyCycles()).containsEntry("17", 25.0);

    set(Jobs.STIRRING, "target_rpm", "800");
    await(vertx, "PWM 17 at 50 % and target_rpm 800 published", () -> published("17") == 50.0
        && "800.0".equals(latest.get(Topics.job("w1", EXP, Jobs.STIRRING, "target_rpm"))));
    // Each refusal is logged with its reason, those found while parsing the value too.
    String warnings = Topics.log("w1", EXP, Jobs.STIRRING, "warning");
    set(Jobs.STIRRING, "target_rpm", "lots");
    await(vertx, "target_rpm=lots refused in the log", () -> String.valueOf(latest.get(warnings))
        .contains("refused target_rpm=lots: stirring: target_rpm must be a number"));
    set(Jobs.STIRRING, "duty_cycle", "150");
    await(vertx, "duty_cycle=150 refused in the log", () -> String.valueOf(latest.get(warnings))
        .contains("refused duty_cycle=150: stirring: duty_cycle must be between 0 and 100, got 150"));
    set(Jobs.STIRRING, "rpm_please", "1");
    await(vertx, "rpm_please refused in the log", () -> String.valueOf(latest.get(warnings)).contains("refused rpm_please=1"));
    assertThat(worker.hat().dutyCycles()).containsEntry("17", 50.0);

    set(Jobs.STIRRING, Topics.STATE, "sleeping");
    await(vertx, "sleeping, PWM 0", () -> "sleeping".equals(latest.get(Topics.jobState("w1", EXP, Jobs.STIRRING))) && published("17") == 0);
    set(Jobs.STIRRING, Topics.STATE, "ready");
    await(vertx, "ready, PWM back", () -> "ready".equals(latest.get(Topics.jobState("w1", EXP, Jobs.STIRRING))) && published("17") == 50.0);

    CommandReply again = run(vertx, Jobs.STIRRING, EXP, new JsonObject());
    assertThat(again.ok()).isFalse();
    assertThat(again.error()).contains("already running");

    set(Jobs.STIRRING, Topics.STATE, "disconnected");
    await(vertx, "disconnected, PWM 0", () -> "disconnected".equals(latest.get(Topics.jobState("w1", EXP, Jobs.STIRRING))) && published("17") == 0);
    assertThat(worker.hat().dutyCycles()).containsEntry("17", 0.0);
    await(vertx, "forgotten once its session closed", () -> worker.activities().count() == 0);
  }

  @Test
  @DisplayName("setting the worker inactive halts every job, pumps and PWM first, and further starts are refused")
  void inactiveHalts(Vertx vertx) {
    assertThat(run(vertx, Jobs.OD_READING, EXP, new JsonObject().put("interval", 0.2)).ok()).isTrue();
    assertThat(run(vertx, Jobs.LED_INTENSITY, EXP, new JsonObject().put("A", 30)).ok()).isTrue();
    assertThat(run(vertx, Jobs.STIRRING, EXP, new JsonObject()).ok()).isTrue();
    await(vertx, "an OD reading", () -> latest.containsKey(Topics.job("w1", EXP, Jobs.OD_READING, "od1")));
    assertThat(new JsonObject(latest.get(Topics.job("w1", EXP, Jobs.OD_READING, "ods"))).getJsonObject("ods").fieldNames())
        .containsExactlyInAnyOrder("1", "2");
    states.clear();

    membership(false, EXP);
    await(vertx, "all three disconnected", () -> states.stream().filter(s -> s.endsWith("=disconnected")).count() == 3);
    assertThat(states.get(0)).isEqualTo("stirring=disconnected");
    assertThat(worker.hat().dutyCycles().values()).containsOnly(0.0);

    CommandReply refused = run(vertx, Jobs.STIRRING, EXP, new JsonObject());
    assertThat(refused.ok()).isFalse();
    assertThat(refused.error()).contains("inactive");
    // A job is forgotten once its session has closed, just after it says disconnected.
    await(vertx, "every job forgotten", () -> worker.activities().count() == 0);
  }

  @Test
  @DisplayName("reassignment stops the previous experiment's jobs; a start for another experiment is refused")
  void reassignment(Vertx vertx) {
    assertThat(run(vertx, Jobs.STIRRING, EXP, new JsonObject()).ok()).isTrue();
    CommandReply other = run(vertx, Jobs.OD_READING, "exp2", new JsonObject());
    assertThat(other.ok()).isFalse();
    assertThat(other.error()).contains("assigned to experiment 'exp1'");

    membership(true, "exp2");
    // (said, then cleared: exp1 is an experiment this unit has left)
    await(vertx, "stirring of exp1 stopped", () -> heardOn(Topics.jobState("w1", EXP, Jobs.STIRRING)).contains("disconnected"));
    await(vertx, "stirring of exp1 forgotten (its session closed)", () -> worker.activities().count() == 0);
    assertThat(run(vertx, Jobs.STIRRING, "exp2", new JsonObject()).ok()).isTrue();
    membership(true, null);
    await(vertx, "unassigned: stopped", () -> "disconnected".equals(latest.get(Topics.jobState("w1", "exp2", Jobs.STIRRING))));
  }

  @Test
  @DisplayName("a configuration arriving while a job runs that started without one is applied and acknowledged, the job named as on none")
  void configurationAfterAJobWithoutOne(Vertx vertx) {
    assertThat(run(vertx, Jobs.STIRRING, EXP, new JsonObject()).ok()).isTrue();
    io.pioreactor.protocol.ConfigDelivery d = io.pioreactor.protocol.ConfigDelivery.of("[stirring.config]\ninitial_target_rpm=300\n", "t");
    observer.publish(Topics.unitConfig("w1"), d.toBuffer(), MqttQoS.AT_LEAST_ONCE, false, true).await();
    await(vertx, "acknowledged", () -> latest.getOrDefault(Topics.configStatus("w1"), "").contains(d.version()));
    io.pioreactor.protocol.ConfigStatus status = io.pioreactor.protocol.ConfigStatus.fromBuffer(Buffer.buffer(latest.get(Topics.configStatus("w1"))));
    assertThat(status.status()).isEqualTo(io.pioreactor.protocol.ConfigStatus.APPLIED);
    assertThat(status.jobsOnOlder()).containsEntry(Jobs.STIRRING, io.pioreactor.protocol.ConfigStatus.NO_VERSION);
    // The job that started without one still stops, and a new one starts with the configuration's values.
    set(Jobs.STIRRING, Topics.STATE, "disconnected");
    await(vertx, "stirring stopped", () -> worker.activities().count() == 0);
    assertThat(run(vertx, Jobs.STIRRING, EXP, new JsonObject()).ok()).isTrue();
    await(vertx, "target_rpm 300", () -> "300.0".equals(latest.get(Topics.job("w1", EXP, Jobs.STIRRING, "target_rpm"))));
  }

  @Test
  @DisplayName("a late last will saying lost on a job stopped by request is put right: disconnected again")
  void lateWillOnStoppedJob(Vertx vertx) {
    String state = Topics.jobState("w1", EXP, Jobs.STIRRING);
    assertThat(run(vertx, Jobs.STIRRING, EXP, new JsonObject()).ok()).isTrue();
    set(Jobs.STIRRING, Topics.STATE, "disconnected");
    await(vertx, "stirring said disconnected", () -> heardOn(state).contains("disconnected"));
    // What embedded Artemis sometimes does after a clean DISCONNECT: the job session's will, retained.
    observer.publish(state, Buffer.buffer("lost"), MqttQoS.AT_LEAST_ONCE, false, true).await();
    await(vertx, "lost heard", () -> "lost".equals(latest.get(state)));
    await(vertx, "disconnected again", () -> "disconnected".equals(latest.get(state)));
  }

  @Test
  @DisplayName("a job stopped because its worker was removed leaves nothing retained, even after a late last will saying lost")
  void removedLeavesNoJobState(Vertx vertx) {
    String state = Topics.jobState("w1", EXP, Jobs.STIRRING);
    assertThat(run(vertx, Jobs.STIRRING, EXP, new JsonObject()).ok()).isTrue();
    observer.publish(Topics.assignment("w1"), Membership.removed("w1", "t").toBuffer(), MqttQoS.AT_LEAST_ONCE, false, true).await();
    await(vertx, "stirring said disconnected", () -> heardOn(state).contains("disconnected"));
    await(vertx, "PWM 0", () -> published("17") == 0.0);
    await(vertx, "its state cleared (an experiment the unit has left)", () -> "".equals(latest.get(state)));
    // The will lands after that clearing read of the broker, as it does on embedded Artemis.
    observer.publish(state, Buffer.buffer("lost"), MqttQoS.AT_LEAST_ONCE, false, true).await();
    await(vertx, "lost heard", () -> "lost".equals(latest.get(state)));
    await(vertx, "cleared", () -> "".equals(latest.get(state)));
  }

  @Test
  @DisplayName("a pump runs for the time its volume needs, then finishes by itself with the pump off")
  void pumpFinishes(Vertx vertx) {
    CommandReply r = run(vertx, Jobs.ADD_MEDIA, EXP, new JsonObject().put("ml", 0.25)); // 0.5 ml/s → 0.5 s
    assertThat(r.ok()).as(r.error()).isTrue();
    await(vertx, "pump on", () -> published("13") == 100.0);
    await(vertx, "pump done", () -> "disconnected".equals(latest.get(Topics.jobState("w1", EXP, Jobs.ADD_MEDIA))));
    assertThat(worker.hat().dutyCycles()).containsEntry("13", 0.0);
    set(Jobs.ADD_MEDIA, Topics.STATE, "sleeping"); // not running any more: ignored
  }

  @Test
  @DisplayName("bad jobs and options are refused with a reason and start nothing")
  void badOptions(Vertx vertx) {
    Map<String, Object[]> cases = Map.of(
        "unknown option", new Object[] {Jobs.STIRRING, new JsonObject().put("speed", 3)},
        "between 0 and 5000", new Object[] {Jobs.STIRRING, new JsonObject().put("target_rpm", -1)},
        "must be a number", new Object[] {Jobs.STIRRING, new JsonObject().put("target_rpm", "; rm -rf /")},
        "exactly one of ml or duration", new Object[] {Jobs.REMOVE_WASTE, new JsonObject().put("ml", 1).put("duration", 1)},
        "between 0 and 100", new Object[] {Jobs.LED_INTENSITY, new JsonObject().put("B", 101)},
        "1 to 128 characters", new Object[] {Jobs.ADD_MEDIA, new JsonObject().put("ml", 1).put("source_of_event", "x".repeat(129))},
        "unknown job", new Object[] {"warp_drive", new JsonObject()});
    cases.forEach((expected, c) -> {
      CommandReply r = run(vertx, (String) c[0], EXP, (JsonObject) c[1]);
      assertThat(r.ok()).isFalse();
      assertThat(r.error()).contains(expected);
    });
    CommandReply malformed = command(vertx, Protocol.RUN_JOB, new JsonObject().put("job", "Stirring!").put("experiment", EXP));
    assertThat(malformed.error()).contains("job name");
    await(vertx, "nothing kept of the refused starts", () -> worker.activities().count() == 0);
    assertThat(latest.keySet()).noneMatch(t -> t.endsWith("/" + Topics.STATE) && t.contains("/" + EXP + "/"));
  }

  @Test
  @DisplayName("all ten jobs halt on inactive in the safety order: pumps and PWM, then heater, then automations, then the rest")
  void tenJobsHaltInOrder(Vertx vertx) {
    Map<String, JsonObject> jobs = new java.util.LinkedHashMap<>();
    jobs.put(Jobs.GROWTH_RATE_CALCULATING, new JsonObject());
    jobs.put(Jobs.OD_READING, new JsonObject().put("interval", 0.2));
    jobs.put(Jobs.LED_INTENSITY, new JsonObject().put("A", 5));
    jobs.put(Jobs.LED_AUTOMATION, new JsonObject().put("light_hours", 1).put("dark_hours", 1));
    jobs.put(Jobs.DOSING_AUTOMATION, new JsonObject().put("duration", 60));
    jobs.put(Jobs.TEMPERATURE_AUTOMATION, new JsonObject().put("target_temperature", 40).put("interval", 0.2));
    jobs.put(Jobs.STIRRING, new JsonObject());
    jobs.put(Jobs.ADD_MEDIA, new JsonObject().put("duration", 3600));
    jobs.put(Jobs.REMOVE_WASTE, new JsonObject().put("duration", 3600));
    jobs.put(Jobs.ADD_ALT_MEDIA, new JsonObject().put("duration", 3600));
    jobs.forEach((job, options) -> {
      CommandReply r = run(vertx, job, EXP, options);
      assertThat(r.ok()).as(job + ": " + r.error()).isTrue();
    });
    await(vertx, "heater on, a growth rate and a temperature published", () -> published("18") > 0
        && latest.getOrDefault(Topics.job("w1", EXP, Jobs.GROWTH_RATE_CALCULATING, "growth_rate"), "").contains("growth_rate")
        && latest.getOrDefault(Topics.job("w1", EXP, Jobs.TEMPERATURE_AUTOMATION, "temperature"), "").contains("temperature"));
    states.clear();

    membership(false, EXP);
    await(vertx, "all ten disconnected", () -> states.stream().filter(s -> s.endsWith("=disconnected")).count() == 10);
    List<String> order = states.stream().map(s -> s.substring(0, s.indexOf('='))).toList();
    java.util.function.ToIntFunction<String> at = order::indexOf;
    for (String pumpOrPwm : List.of(Jobs.STIRRING, Jobs.ADD_MEDIA, Jobs.REMOVE_WASTE, Jobs.ADD_ALT_MEDIA)) {
      assertThat(at.applyAsInt(pumpOrPwm)).as(order.toString()).isLessThan(at.applyAsInt(Jobs.TEMPERATURE_AUTOMATION));
    }
    for (String automation : List.of(Jobs.DOSING_AUTOMATION, Jobs.LED_AUTOMATION)) {
      assertThat(at.applyAsInt(Jobs.TEMPERATURE_AUTOMATION)).as(order.toString()).isLessThan(at.applyAsInt(automation));
      for (String rest : List.of(Jobs.OD_READING, Jobs.LED_INTENSITY, Jobs.GROWTH_RATE_CALCULATING)) {
        assertThat(at.applyAsInt(automation)).as(order.toString()).isLessThan(at.applyAsInt(rest));
      }
    }
    assertThat(worker.hat().dutyCycles().values()).containsOnly(0.0);
  }

  @Test
  @DisplayName("a dosing automation runs the media then the waste pump as jobs of their own, and counts exchanges")
  void dosingAutomation(Vertx vertx) {
    CommandReply r = run(vertx, Jobs.DOSING_AUTOMATION, EXP, new JsonObject().put("duration", 0.005).put("volume", 0.05));
    assertThat(r.ok()).as(r.error()).isTrue();
    await(vertx, "two exchanges", () -> Integer.parseInt(latest.getOrDefault(Topics.job("w1", EXP, Jobs.DOSING_AUTOMATION,
        "vial_exchanges"), "0").isEmpty() ? "0" : latest.get(Topics.job("w1", EXP, Jobs.DOSING_AUTOMATION, "vial_exchanges"))) >= 2);
    assertThat(states).contains("add_media=ready", "add_media=disconnected", "remove_waste=ready", "remove_waste=disconnected");
    set(Jobs.DOSING_AUTOMATION, Topics.STATE, "disconnected");
    await(vertx, "stopped", () -> worker.activities().count() == 0);
    assertThat(worker.hat().dutyCycles().values()).containsOnly(0.0);
  }

  @Test
  @DisplayName("stirring publishes its measured rpm, near target_rpm, every stirring_update_seconds while ready, retained")
  void stirringPublishesMeasuredRpmWhileReady(Vertx vertx) {
    assertThat(run(vertx, Jobs.STIRRING, EXP, new JsonObject().put("target_rpm", 400)).ok()).isTrue();
    long started = System.nanoTime();
    await(vertx, "three readings", () -> measuredRpms().size() >= 3);
    assertThat((System.nanoTime() - started) / 1e9).as("three readings at 0.2 s apart").isGreaterThanOrEqualTo(2 * STIRRING_UPDATE_S);
    assertThat(measuredRpms()).allSatisfy(m -> assertThat(m.measuredRpm()).isBetween(380.0, 420.0));

    MqttClient late = MqttClient.create(vertx, new MqttClientOptions().setClientId("late"));
    Map<String, String> retained = new ConcurrentHashMap<>();
    late.publishHandler(m -> retained.put(m.topicName(), m.payload().toString()));
    late.connect(broker.port(), "127.0.0.1").await();
    late.subscribe(Topics.job("w1", EXP, Jobs.STIRRING, Topics.MEASURED_RPM), 1).await();
    await(vertx, "the retained reading", () -> retained.getOrDefault(Topics.job("w1", EXP, Jobs.STIRRING, Topics.MEASURED_RPM), "")
        .contains("measured_rpm"));
    late.disconnect().await();
  }

  @Test
  @DisplayName("a paused stirring says measured_rpm 0 once and publishes nothing more until it resumes")
  void stirringPublishesNoMeasuredRpmWhileSleeping(Vertx vertx) {
    assertThat(run(vertx, Jobs.STIRRING, EXP, new JsonObject().put("target_rpm", 400)).ok()).isTrue();
    await(vertx, "a reading", () -> !measuredRpms().isEmpty());
    set(Jobs.STIRRING, Topics.STATE, "sleeping");
    awaitState(vertx, Jobs.STIRRING, "sleeping");
    List<MeasuredRpm> atPause = measuredRpms();
    assertThat(atPause.get(atPause.size() - 1).measuredRpm()).isZero();

    vertx.timer(Math.round(STIRRING_UPDATE_S * 5 * 1000)).await();
    assertThat(measuredRpms()).as("nothing while sleeping").hasSameSizeAs(atPause);

    set(Jobs.STIRRING, Topics.STATE, "ready");
    await(vertx, "a reading after the resume", () -> measuredRpms().size() > atPause.size());
    assertThat(measuredRpms().get(atPause.size()).measuredRpm()).isBetween(380.0, 420.0);
  }

  @Test
  @DisplayName("led_intensity says each channel it changes as a led_change_event, and nothing for a channel it leaves as it was")
  void ledIntensitySaysChangedChannels(Vertx vertx) {
    assertThat(run(vertx, Jobs.LED_INTENSITY, EXP, new JsonObject().put("A", 20)).ok()).isTrue();
    await(vertx, "A's event", () -> ledEvents().size() == 1);
    LedChangeEvent a = ledEvents().get(0);
    assertThat(a).isEqualTo(new LedChangeEvent("A", 20.0, Jobs.LED_INTENSITY, a.timestamp()));

    set(Jobs.LED_INTENSITY, "intensity", new JsonObject().put("A", 20).put("B", 5).encode());
    await(vertx, "the new intensity", () -> latest.getOrDefault(Topics.job("w1", EXP, Jobs.LED_INTENSITY, "intensity"), "").contains("\"B\":5"));
    assertThat(ledEvents()).hasSize(2);
    LedChangeEvent b = ledEvents().get(1);
    assertThat(b).isEqualTo(new LedChangeEvent("B", 5.0, Jobs.LED_INTENSITY, b.timestamp()));
  }

  @Test
  @DisplayName("stopping led_intensity turns its lit channels off, each said as a led_change_event at 0")
  void ledIntensitySaysChannelsOffAtStop(Vertx vertx) {
    assertThat(run(vertx, Jobs.LED_INTENSITY, EXP, new JsonObject().put("A", 20).put("C", 50)).ok()).isTrue();
    await(vertx, "two events", () -> ledEvents().size() == 2);
    set(Jobs.LED_INTENSITY, Topics.STATE, "disconnected");
    awaitState(vertx, Jobs.LED_INTENSITY, "disconnected");
    assertThat(ledEvents()).extracting(LedChangeEvent::channel, LedChangeEvent::intensity)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("A", 20.0), org.assertj.core.groups.Tuple.tuple("C", 50.0),
            org.assertj.core.groups.Tuple.tuple("A", 0.0), org.assertj.core.groups.Tuple.tuple("C", 0.0));
  }

  @Test
  @DisplayName("the LED automation says B and C on, and off at stop, as led_change_events from led_automation:light_dark_cycle")
  void ledAutomationSaysItsChanges(Vertx vertx) {
    assertThat(run(vertx, Jobs.LED_AUTOMATION, EXP, new JsonObject().put("light_intensity", 30)).ok()).isTrue();
    await(vertx, "B and C on", () -> ledEvents().size() == 2);
    set(Jobs.LED_AUTOMATION, Topics.STATE, "disconnected");
    awaitState(vertx, Jobs.LED_AUTOMATION, "disconnected");
    assertThat(ledEvents()).extracting(LedChangeEvent::channel, LedChangeEvent::intensity, LedChangeEvent::sourceOfEvent)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("B", 30.0, "led_automation:light_dark_cycle"),
            org.assertj.core.groups.Tuple.tuple("C", 30.0, "led_automation:light_dark_cycle"),
            org.assertj.core.groups.Tuple.tuple("B", 0.0, "led_automation:light_dark_cycle"),
            org.assertj.core.groups.Tuple.tuple("C", 0.0, "led_automation:light_dark_cycle"));
  }

  @Test
  @DisplayName("a pump run that completes says its whole volume as one dosing event from the pump's own job")
  void completedPumpRunSaysItsVolume(Vertx vertx) {
    assertThat(run(vertx, Jobs.ADD_MEDIA, EXP, new JsonObject().put("ml", 0.25)).ok()).isTrue();
    awaitState(vertx, Jobs.ADD_MEDIA, "disconnected");
    assertThat(dosingEvents()).hasSize(1);
    DosingEvent e = dosingEvents().get(0);
    assertThat(e).isEqualTo(new DosingEvent(0.25, Jobs.ADD_MEDIA, Jobs.ADD_MEDIA, e.timestamp()));
  }

  @Test
  @DisplayName("a pump stopped early says as its dosing event only what it had moved")
  void stoppedPumpRunSaysWhatItMoved(Vertx vertx) {
    assertThat(run(vertx, Jobs.REMOVE_WASTE, EXP, new JsonObject().put("duration", 60)).ok()).isTrue();
    await(vertx, "pump on", () -> published("12") == 100.0);
    vertx.timer(300).await();
    set(Jobs.REMOVE_WASTE, Topics.STATE, "disconnected");
    awaitState(vertx, Jobs.REMOVE_WASTE, "disconnected");
    assertThat(dosingEvents()).hasSize(1);
    DosingEvent e = dosingEvents().get(0);
    assertThat(e.event()).isEqualTo(Jobs.REMOVE_WASTE);
    assertThat(e.volumeChange()).as("0.5 ml/s for about 0.3 s, not the 30 ml of a whole run").isBetween(0.1, 2.0);
  }

  @Test
  @DisplayName("a dosing automation's pump runs say their volumes as dosing events from dosing_automation:chemostat")
  void dosingAutomationRunsSayTheirVolumes(Vertx vertx) {
    assertThat(run(vertx, Jobs.DOSING_AUTOMATION, EXP, new JsonObject().put("duration", 0.005).put("volume", 0.05)).ok()).isTrue();
    await(vertx, "media in and waste out", () -> dosingEvents().stream().map(DosingEvent::event).toList()
        .containsAll(List.of(Jobs.ADD_MEDIA, Jobs.REMOVE_WASTE)));
    set(Jobs.DOSING_AUTOMATION, Topics.STATE, "disconnected");
    await(vertx, "stopped", () -> worker.activities().count() == 0);
    assertThat(dosingEvents()).allSatisfy(e -> {
      assertThat(e.sourceOfEvent()).isEqualTo("dosing_automation:chemostat");
      assertThat(e.volumeChange()).isEqualTo(0.05);
    });
  }
}
