package io.pioreactor.worker.health;

import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.UnitHealth;
import io.pioreactor.protocol.mqtt.MqttConnection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this unit's health, retained, on {@link Topics#health}: every {@code interval_seconds}, and at once when
 * something meaningful changed (the HAT, the configuration version applied, the disk crossing a {@link #DISK_BAND} %
 * band, the self test), looked at every {@code check_seconds}, never two closer than {@code min_interval_seconds}.
 * The probe runs off the event loop. The broker round trip is measured, not guessed: the time from publishing one
 * health message (QoS 1) to the broker's PUBACK, carried by the next one (null until one has been measured).
 */
public final class HealthPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(HealthPublisher.class);
  /** Disk bands, in percent free: crossing one is a change worth telling at once. */
  static final double DISK_BAND = 5.0;

  private final Vertx vertx;
  private final MqttConnection mqtt;
  private final String unit;
  private final HealthSettings settings;
  private final HealthProbe probe;
  private final Supplier<String> configVersion;
  private long timer = -1;
  private boolean probing;
  private long lastPublishedNs;
  private boolean forceNext = true;
  private Key lastKey;
  private Double roundTripMs;
  private String lastProblem;

  /** What makes a publication due at once when it changes. */
  record Key(boolean hat, String configVersion, long diskBand, UnitHealth.SelfTest selfTest) {}

  public HealthPublisher(Vertx vertx, MqttConnection mqtt, String unit, HealthSettings settings, HealthProbe probe,
                         Supplier<String> configVersion) {
    this.vertx = vertx;
    this.mqtt = mqtt;
    this.unit = unit;
    this.settings = settings;
    this.probe = probe;
    this.configVersion = configVersion;
  }

  /** This unit's publisher, as its config says: the state directory's disk, this machine's /proc and /sys. */
  public static HealthPublisher of(Vertx vertx, MqttConnection mqtt, io.pioreactor.worker.config.WorkerConfig config,
                                   io.pioreactor.worker.hardware.Hat hat, Supplier<String> configVersion) {
    return new HealthPublisher(vertx, mqtt, config.unit(), config.health(), new HealthProbe(java.nio.file.Path.of("/"),
        config.stateDir(), config.unit(), hat::detected, onceEach()), configVersion);
  }

  public void start() {
    timer = vertx.setPeriodic(1, settings.checkSeconds() * 1000L, t -> check());
  }

  /** After every (re)connect: said again at once (a broker that lost its retained messages gets it back). */
  public Future<Void> announce() {
    forceNext = true;
    check();
    return Future.succeededFuture();
  }

  private void check() {
    if (probing || !mqtt.isConnected()) {
      return;
    }
    probing = true;
    String version = configVersion.get(); // event-loop state, read here; files and /proc below, off it
    vertx.executeBlocking(probe::read, false).onComplete(ar -> {
      probing = false;
      if (ar.failed()) {
        problem("health: could not read this machine's figures (" + ar.cause().getMessage() + "); trying again in "
            + settings.checkSeconds() + " s");
        return;
      }
      HealthProbe.Reading r = ar.result();
      Key key = new Key(r.hatDetected(), version, (long) Math.floor(r.disk().freePercent() / DISK_BAND), r.selfTest());
      long sinceMs = (System.nanoTime() - lastPublishedNs) / 1_000_000;
      boolean due = forceNext || sinceMs >= settings.intervalSeconds() * 1000L - 500
          || (!Objects.equals(key, lastKey) && sinceMs >= settings.minIntervalSeconds() * 1000L);
      if (due) {
        publish(r, version, key);
      }
    });
  }

  private void publish(HealthProbe.Reading r, String version, Key key) {
    UnitHealth h = new UnitHealth(unit, Instant.now().toString(), settings.intervalSeconds(), r.disk(),
        r.memory() == null ? null : r.memory()[0], r.memory() == null ? null : r.memory()[1], r.load(),
        r.cpuTemperatureC(), r.uptimeSeconds(), roundTripMs, r.hatDetected(), version, r.selfTest());
    forceNext = false;
    lastKey = key;
    lastPublishedNs = System.nanoTime();
    long sent = System.nanoTime();
    mqtt.publish(Topics.health(unit), h.toBuffer(), 1, true)
        .onSuccess(id -> {
          roundTripMs = Math.round((System.nanoTime() - sent) / 10_000.0) / 100.0;
          lastProblem = null; // a problem that comes back after this is said again
        })
        .onFailure(err -> {
          forceNext = true; // said again on the next check
          problem("health: the broker did not take it (" + err.getMessage() + "); sent again on the next check");
        });
  }

  /** Said once until it changes: a disk that stays unreadable must not fill the log. */
  private void problem(String p) {
    if (!p.equals(lastProblem)) {
      lastProblem = p;
      LOG.warn(p);
    }
  }

  /** Reports from the probe's own reading (a bad self-test file, say), said once each. */
  public static java.util.function.Consumer<String> onceEach() {
    java.util.Set<String> said = java.util.concurrent.ConcurrentHashMap.newKeySet();
    return p -> {
      if (said.size() < 100 && said.add(p)) {
        LOG.warn("health: {}", p);
      }
    };
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
