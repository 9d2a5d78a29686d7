package io.pioreactor.leader.cluster;

import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.mqtt.MqttConnection;
import io.vertx.core.Vertx;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job whose unit died ({@code kill -9}, a power cut) cannot clear the settings it retained, as a job that stops
 * does: the leader does it for it, once the job has stayed {@code lost} for {@link #GRACE_MS} (a job whose own session
 * merely dropped is back by then, and re-asserts its settings anyway). The {@code lost} state itself stays until the
 * unit's daemon returns and clears what it no longer runs.
 */
public final class LostJobSettings {
  private static final Logger LOG = LoggerFactory.getLogger(LostJobSettings.class);
  static final long GRACE_MS = 10_000;

  private final Vertx vertx;
  private final MqttConnection mqtt;
  private final LiveUnits live;

  public LostJobSettings(Vertx vertx, MqttConnection mqtt, LiveUnits live) {
    this.vertx = vertx;
    this.mqtt = mqtt;
    this.live = live;
  }

  /** Hook for {@link LiveUnits#onJobLost}. */
  public void lost(String unit, String experiment, String job, Set<String> settings) {
    if (settings.isEmpty()) {
      return;
    }
    vertx.setTimer(GRACE_MS, t -> {
      boolean back = live.get(unit).map(s -> s.jobs.containsKey(experiment + "/" + job)).orElse(false);
      if (back || !mqtt.isConnected()) {
        return;
      }
      LOG.info("{}'s {} in '{}' is lost: clearing its retained settings {}", unit, job, experiment, settings);
      settings.forEach(setting -> mqtt.publish(Topics.job(unit, experiment, job, setting), "", 1, true));
    });
  }
}
