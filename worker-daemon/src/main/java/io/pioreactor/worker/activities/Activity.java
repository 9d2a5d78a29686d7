package io.pioreactor.worker.activities;

import io.pioreactor.protocol.JobState;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.mqtt.MqttConnection;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One running job with upstream's lifecycle ({@code init → ready ⇄ sleeping → disconnected}). Like upstream, a
 * job has its own MQTT session whose last will sets its {@code $state} to {@code lost}, so a dead worker shows
 * {@code lost} on every job. State and each published setting are retained under
 * {@code pioreactor/<unit>/<experiment>/<job>/…}; the session re-asserts them after every reconnect.
 * Subclasses drive the hardware and must leave it safe in {@link #makeSafe()}, which never fails.
 */
public abstract class Activity {
  private static final long CONNECT_TIMEOUT_S = 10;

  protected final ActivityContext ctx;
  private final String name;
  private final String experiment;
  private final Map<String, Object> settings = new LinkedHashMap<>();
  private final List<String> settable = new ArrayList<>();
  private JobState state = JobState.INIT;
  private MqttConnection mqtt;
  private boolean stopping;
  private Future<Void> stopped;
  private Runnable onFinished = () -> {};
  private final io.vertx.core.Promise<Void> finished = io.vertx.core.Promise.promise();
  private final java.util.Map<String, java.util.function.Consumer<io.vertx.mqtt.messages.MqttPublishMessage>> subscriptions =
      new LinkedHashMap<>();

  /** The cluster configuration's version this job started with: it keeps those values while it runs. */
  private final String configVersion;

  protected Activity(ActivityContext ctx, String name, String experiment) {
    this.ctx = ctx;
    this.name = name;
    this.experiment = experiment;
    this.configVersion = ctx.defaults().get().version();
  }

  public String configVersion() {
    return configVersion;
  }

  public String name() {
    return name;
  }

  public String experiment() {
    return experiment;
  }

  public JobState state() {
    return state;
  }

  /** Called once the job has stopped, whoever stopped it (so the supervisor forgets it). */
  void onFinished(Runnable r) {
    this.onFinished = r;
  }

  /** Completes when the job has stopped, for whatever reason. */
  public Future<Void> finished() {
    return finished.future();
  }

  /** Marks the job as going away: it starts nothing new (an automation, no further pump run) from now on. */
  void markStopping() {
    stopping = true;
  }

  /** Listens on the job's own session (declare in the constructor); e.g. growth rate follows od readings. */
  protected void subscribe(String filter, java.util.function.Consumer<io.vertx.mqtt.messages.MqttPublishMessage> handler) {
    subscriptions.put(filter, handler);
  }

  // ---- what subclasses implement

  /** Starts driving the hardware (also on resume). */
  protected abstract Future<Void> run();

  /** Puts the hardware in its safe state (PWM 0, pump off, LEDs off). Must not fail. */
  protected abstract Future<Void> makeSafe();

  /** Applies a new value for a settable setting; fails with a reason for a bad one. */
  protected Future<Void> applySetting(String setting, String payload) {
    return Future.failedFuture(new IllegalArgumentException(name + " has no settable '" + setting + "'"));
  }

  /** Runs once the job has said {@code ready} (a job that runs once, the self test, starts its work here). */
  protected void afterReady() {}

  /** Whether the job's settings stay retained after it stops (the self test's results do, as upstream's). */
  protected boolean keepsSettingsWhenStopped() {
    return false;
  }

  /** Whether this job may pause; pumps may not. */
  protected boolean canSleep() {
    return true;
  }

  // ---- settings

  protected void declareSetting(String setting, Object initial, boolean isSettable) {
    settings.put(setting, initial);
    if (isSettable) {
      settable.add(setting);
    }
  }

  /** Records and publishes (retained) a setting's new value. */
  protected Future<Void> publishSetting(String setting, Object value) {
    settings.put(setting, value);
    return publish(setting, encode(value), true);
  }

  /** Publishes a value that is data, not state (readings): not retained. */
  protected Future<Void> publishData(String attribute, Object value) {
    return publish(attribute, encode(value), false);
  }

  /**
   * Publishes a message of the unit's own outside the job's attributes (not retained), on the job's session: a
   * dosing or LED change event on {@code pioreactor/<unit>/<experiment>/dosing_events} or {@code …/led_change_events}.
   * Like data, it is not kept while the session is away.
   */
  protected Future<Void> publishEvent(String topic, JsonObject payload) {
    if (mqtt == null || !mqtt.isConnected()) {
      return Future.succeededFuture();
    }
    return mqtt.publish(topic, payload.encode(), 1, false).mapEmpty();
  }

  public JsonObject settingsSnapshot() {
    JsonObject o = new JsonObject();
    settings.forEach(o::put);
    return o;
  }

  // ---- lifecycle

  /** Connects, publishes {@code init} and its settings, starts the hardware, publishes {@code ready}. */
  public Future<Void> start() {
    mqtt = new MqttConnection(ctx.vertx(), ctx.mqtt(), io.pioreactor.protocol.ClientIds.job(ctx.unit(), name),
        new MqttConnection.Will(Topics.jobState(ctx.unit(), experiment, name), JobState.LOST.wire()))
        .onConnected(() -> ctx.membershipSettled().get().compose(v -> reassert()))
        .onDisconnected(ctx.connectionLost());
    subscriptions.keySet().forEach(f -> mqtt.subscribe(f, 1));
    mqtt.messageHandler(m -> subscriptions.forEach((f, h) -> {
      if (io.pioreactor.protocol.Topic.matches(f, m.topicName())) {
        h.accept(m);
      }
    }));
    return mqtt.start().timeout(CONNECT_TIMEOUT_S, TimeUnit.SECONDS)
        .compose(v -> stopping ? Future.failedFuture(new IllegalStateException("stopped while starting")) : run())
        // Halted while the hardware was starting: undo, so nothing stays on after a stop.
        .compose(v -> stopping ? makeSafe().compose(x -> Future.<Void>failedFuture(new IllegalStateException("stopped while starting")))
            : transition(JobState.READY))
        .onSuccess(v -> afterReady())
        .recover(err -> {
          ctx.log().job(experiment, name, "error", name + " failed to start: " + err.getMessage());
          return stop().transform(ar -> Future.failedFuture(err));
        });
  }

  /** {@code $state/set}: {@code disconnected} stops, {@code sleeping} pauses, {@code ready} resumes. */
  public Future<Void> requestState(String wanted) {
    JobState s = JobState.parse(wanted).orElse(null);
    if (s == JobState.DISCONNECTED) {
      return stop();
    }
    if (s == JobState.SLEEPING) {
      if (state != JobState.READY) {
        return Future.failedFuture(new IllegalStateException(name + " is " + state.wire() + ", not ready"));
      }
      if (!canSleep()) {
        return Future.failedFuture(new IllegalStateException(name + " cannot pause; stop it instead"));
      }
      return makeSafe().compose(v -> transition(JobState.SLEEPING));
    }
    if (s == JobState.READY) {
      if (state != JobState.SLEEPING) {
        return Future.failedFuture(new IllegalStateException(name + " is " + state.wire() + ", not sleeping"));
      }
      return run().compose(v -> transition(JobState.READY));
    }
    return Future.failedFuture(new IllegalArgumentException("$state can be set to disconnected, sleeping or ready, not '" + wanted + "'"));
  }

  /** {@code <setting>/set}. */
  public Future<Void> requestSetting(String setting, String payload) {
    if (!settable.contains(setting)) {
      return Future.failedFuture(new IllegalArgumentException(name + " has no settable '" + setting + "' (settable: " + settable + ")"));
    }
    if (stopping) {
      return Future.failedFuture(new IllegalStateException(name + " is stopping"));
    }
    try {
      return applySetting(setting, payload);
    } catch (RuntimeException e) {
      // A value refused as it is parsed (Options.parse throws): a refusal like any other, logged with its reason.
      return Future.failedFuture(e);
    }
  }

  /**
   * Hardware safe first, then {@code disconnected}, settings cleared (as upstream), session closed. Idempotent:
   * a second call gets the same future, so whoever waits for the stop waits for the real one.
   */
  public Future<Void> stop() {
    if (stopped != null) {
      return stopped;
    }
    stopping = true;
    stopped = makeSafe().recover(err -> Future.succeededFuture())
        .compose(v -> transition(JobState.DISCONNECTED).recover(err -> Future.succeededFuture()))
        .compose(v -> keepsSettingsWhenStopped() ? Future.<Void>succeededFuture() : clearSettings())
        .eventually(() -> mqtt == null ? Future.succeededFuture() : mqtt.close())
        .onComplete(ar -> {
          onFinished.run();
          finished.tryComplete();
        });
    return stopped;
  }

  public boolean isStopping() {
    return stopping;
  }

  boolean isStopCalled() {
    return stopped != null;
  }

  protected boolean isReady() {
    return state == JobState.READY && !stopping;
  }

  private Future<Void> transition(JobState next) {
    state = next;
    return publish(Topics.STATE, next.wire(), true);
  }

  private Future<Void> reassert() {
    if (stopping) {
      // The membership heard on return stopped this job (inactive, reassigned, removed): it must not say
      // "ready" again on its way out; its stop publishes the final state.
      return Future.succeededFuture();
    }
    List<Future<Void>> sent = new ArrayList<>();
    sent.add(publish(Topics.STATE, state.wire(), true));
    // (a setting with no value yet, such as measured_rpm before its first reading, is not said)
    settings.forEach((k, v) -> {
      if (v != null) {
        sent.add(publish(k, encode(v), true));
      }
    });
    return Future.all(sent).mapEmpty();
  }

  private Future<Void> clearSettings() {
    Future<Void> chain = Future.succeededFuture();
    for (String k : settings.keySet()) {
      chain = chain.compose(v -> publish(k, "", true).recover(err -> Future.succeededFuture()));
    }
    return chain;
  }

  private Future<Void> publish(String attribute, String payload, boolean retain) {
    if (mqtt == null || !mqtt.isConnected()) {
      // Retained state is re-asserted on reconnect; data published while away is not kept.
      return Future.succeededFuture();
    }
    return mqtt.publish(Topics.job(ctx.unit(), experiment, name, attribute), payload, 1, retain).mapEmpty();
  }

  private static String encode(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof JsonObject o) {
      return o.encode();
    }
    return v.toString();
  }
}
