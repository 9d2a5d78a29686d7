package io.pioreactor.worker;

import io.pioreactor.protocol.LogMessage;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.mqtt.MqttConnection;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Log lines that go both to the local log and to the leader, as upstream's log topics. */
public final class WorkerLog {
  private static final Logger LOG = LoggerFactory.getLogger("worker");

  private final MqttConnection mqtt;
  private final String unit;

  public WorkerLog(MqttConnection mqtt, String unit) {
    this.mqtt = mqtt;
    this.unit = unit;
  }

  public void info(String message) {
    info(message, Instant.now());
  }

  /** A line about something that happened at {@code at} (its payload's timestamp), written now. */
  public void info(String message, Instant at) {
    LOG.info(message);
    send("info", message, at);
  }

  public void warning(String message) {
    LOG.warn(message);
    send("warning", message, Instant.now());
  }

  /** A job's log line, under its experiment, as upstream's {@code logs/<job>/<level>}. */
  public void job(String experiment, String job, String level, String message) {
    if ("warning".equals(level) || "error".equals(level)) {
      LOG.warn(message);
    } else {
      LOG.info(message);
    }
    if (mqtt.isConnected()) {
      LogMessage m = new LogMessage(message, job, job, level.toUpperCase(), Instant.now().toString());
      mqtt.publish(Topics.log(unit, experiment, job, level), m.toBuffer(), 1, false);
    }
  }

  private void send(String level, String message, Instant at) {
    if (mqtt.isConnected()) {
      LogMessage m = new LogMessage(message, "monitor", "app", level.toUpperCase(), at.toString());
      mqtt.publish(Topics.log(unit, Topics.UNIT_LEVEL, "app", level), m.toBuffer(), 1, false);
    }
  }
}
