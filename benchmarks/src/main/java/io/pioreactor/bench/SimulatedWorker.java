package io.pioreactor.bench;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.pioreactor.protocol.CommandReply;
import io.pioreactor.protocol.CommandRequest;
import io.pioreactor.protocol.JobRun;
import io.pioreactor.protocol.JobState;
import io.pioreactor.protocol.Protocol;
import io.pioreactor.protocol.Topic;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.UnitFacts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.messages.MqttPublishMessage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One MQTT session that speaks the worker's protocol, without a JVM of its own or any hardware, so a bench can
 * put hundreds of workers in front of a real leader: it connects with the worker's last will ({@code lost}),
 * announces itself on its monitor topics like {@code Presence} ({@code init}, facts, {@code ready}, retained),
 * and answers the leader's commands under its own topics. A started job goes {@code init} then {@code ready}
 * at once (no hardware to bring up); a reboot is only noted, so the bench can tell when it arrived.
 */
final class SimulatedWorker {
  private static final int QOS = 1;

  private final String unit;
  private final MqttClient client;
  /** Jobs "running", as experiment → job names. */
  private final Map<String, Set<String>> running = new ConcurrentHashMap<>();
  private volatile long rebootReceivedNanos;

  /** {@code password}: the unit's broker password (null on an open broker). */
  SimulatedWorker(Vertx vertx, String unit, String password) {
    this.unit = unit;
    MqttClientOptions o = new MqttClientOptions().setClientId(io.pioreactor.protocol.ClientIds.worker(unit)).setCleanSession(true)
        .setKeepAliveInterval(30).setAutoKeepAlive(true).setMaxInflightQueue(1000);
    if (password != null) {
      o.setUsername(unit).setPassword(password);
    }
    o.setWillFlag(true).setWillTopic(Topics.monitorState(unit)).setWillMessageBytes(Buffer.buffer(JobState.LOST.wire()))
        .setWillQoS(QOS).setWillRetain(true);
    this.client = MqttClient.create(vertx, o);
  }

  String unit() {
    return unit;
  }

  Future<Void> connect(int port) {
    return client.connect(port, "127.0.0.1")
        .compose(ack -> {
          client.publishHandler(this::route);
          return client.subscribe(Map.of(Topics.command(unit, "+"), QOS, Topics.command(Topics.BROADCAST, "+"), QOS));
        })
        .compose(v -> monitor(Topics.STATE, JobState.INIT.wire()))
        .compose(v -> monitor(Topics.VERSIONS, new JsonObject().put("app", Protocol.APP_VERSION).encode()))
        .compose(v -> monitor(Topics.IPV4, "127.0.0.1"))
        .compose(v -> monitor(Topics.MODEL, new JsonObject().put("model_name", "pioreactor_20ml").put("model_version", "1.0").encode()))
        .compose(v -> monitorState(JobState.READY.wire()));
  }

  /** Publishes the unit's monitor {@code $state} (retained), as the worker does on every change. */
  Future<Void> monitorState(String state) {
    return monitor(Topics.STATE, state);
  }

  /** Publishes a job's {@code $state} (retained), as a job does when it starts or stops. */
  Future<Void> jobState(String experiment, String job, String state) {
    return publish(Topics.jobState(unit, experiment, job), state, true);
  }

  /** Publishes a job's published setting (retained, QoS 1), as a job does when it starts or a setting changes. */
  Future<Void> setting(String experiment, String job, String attribute, String value) {
    return publish(Topics.job(unit, experiment, job, attribute), value, true);
  }

  /** Publishes one reading of a job ({@code attribute}: a {@code Readings} name), QoS 1 and not retained, as jobs publish data. */
  Future<Void> reading(String experiment, String job, String attribute, JsonObject payload) {
    return publish(Topics.job(unit, experiment, job, attribute), payload.encode(), false);
  }

  long rebootReceivedNanos() {
    return rebootReceivedNanos;
  }

  void forgetReboot() {
    rebootReceivedNanos = 0;
  }

  Future<Void> disconnect() {
    return client.disconnect();
  }

  private Future<Void> monitor(String attribute, String payload) {
    return publish(Topics.monitor(unit, attribute), payload, true);
  }

  private Future<Void> publish(String topic, String payload, boolean retain) {
    return client.publish(topic, Buffer.buffer(payload), MqttQoS.AT_LEAST_ONCE, false, retain).mapEmpty();
  }

  /** Each configuration version heard, with when (nanoTime): the bench's configuration part reads it. */
  final Map<String, Long> configsReceived = new ConcurrentHashMap<>();

  /**
   * Answers the leader's configuration deliveries as a worker does (applied, retained on its monitor/config),
   * without checking them: the bench measures the delivery, not the INI parser.
   */
  Future<Void> answerConfigurations() {
    return client.subscribe(Topics.unitConfig(unit), QOS).mapEmpty();
  }

  private void route(MqttPublishMessage msg) {
    if (msg.topicName().equals(Topics.unitConfig(unit))) {
      if (msg.payload().length() > 0) {
        io.pioreactor.protocol.ConfigDelivery d = io.pioreactor.protocol.ConfigDelivery.fromBuffer(msg.payload());
        configsReceived.putIfAbsent(d.version(), System.nanoTime());
        publish(Topics.configStatus(unit), new io.pioreactor.protocol.ConfigStatus(d.version(), io.pioreactor.protocol.ConfigStatus.APPLIED,
            null, d.version(), java.time.Instant.now().toString(), Map.of()).toBuffer().toString(), true);
      }
      return;
    }
    Topic topic = Topic.parse(msg.topicName()).orElse(null);
    if (topic == null || !topic.isCommand()) {
      return;
    }
    String command = topic.commandName();
    if (Protocol.REBOOT.equals(command)) {
      rebootReceivedNanos = System.nanoTime();
    }
    CommandRequest req = CommandRequest.fromBuffer(msg.payload());
    Future<JsonObject> result = switch (command) {
      case Protocol.HANDSHAKE -> Future.succeededFuture(new UnitFacts(unit, List.of("127.0.0.1"), "pioreactor_20ml", "1.0",
          new JsonObject().put("app", Protocol.APP_VERSION)).toJson());
      case Protocol.RUN_JOB -> runJob(JobRun.fromJson(req.args()));
      case Protocol.STOP_JOBS -> stopJobs(req.args().getString("job"), req.args().getString("experiment"));
      default -> Future.succeededFuture(new JsonObject()); // reboot: noted above, nothing to do
    };
    result.onSuccess(r -> publish(Topics.commandReply(unit, command), CommandReply.success(req.id(), unit, r).toBuffer().toString(), false));
  }

  private Future<JsonObject> runJob(JobRun run) {
    running.computeIfAbsent(run.experiment(), e -> ConcurrentHashMap.newKeySet()).add(run.job());
    String state = Topics.jobState(unit, run.experiment(), run.job());
    return publish(state, JobState.INIT.wire(), true)
        .compose(v -> publish(state, JobState.READY.wire(), true))
        .map(v -> new JsonObject().put("job", run.job()).put("experiment", run.experiment()).put("state", JobState.READY.wire()));
  }

  private Future<JsonObject> stopJobs(String job, String experiment) {
    JsonArray stopped = new JsonArray();
    List<Future<Void>> sent = new java.util.ArrayList<>();
    running.forEach((exp, jobs) -> {
      if (experiment != null && !experiment.equals(exp)) {
        return;
      }
      for (String j : Set.copyOf(jobs)) {
        if (job == null || job.equals(j)) {
          jobs.remove(j);
          stopped.add(j);
          sent.add(publish(Topics.jobState(unit, exp, j), JobState.DISCONNECTED.wire(), true));
        }
      }
    });
    return Future.all(sent).map(v -> new JsonObject().put("stopped", stopped));
  }
}
