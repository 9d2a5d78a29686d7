package io.pioreactor.leader.health;

import io.pioreactor.protocol.LogMessage;
import io.pioreactor.protocol.Topics;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A health warning that appears or clears, said once: a WARNING line in the leader's own log, and the same line as the
 * leader's log message on the broker ({@code pioreactor/<leader>/$experiment/logs/app/warning}, task {@code health}),
 * which the leader stores as it stores every unit's lines.
 */
public final class HealthLog {
  private static final Logger LOG = LoggerFactory.getLogger(HealthLog.class);

  private final String leaderUnit;
  private final BiFunction<String, Buffer, Future<?>> publish;

  /** {@code publish(topic, payload)}: the leader's session, QoS 1, not retained. */
  public HealthLog(String leaderUnit, BiFunction<String, Buffer, Future<?>> publish) {
    this.leaderUnit = leaderUnit;
    this.publish = publish;
  }

  void appeared(String unit, HealthWarning w) {
    say(unit + ": health warning: " + w.message());
  }

  void cleared(String unit, HealthWarning w) {
    say(unit + ": health warning cleared (" + w.check() + "): was " + w.message());
  }

  private void say(String line) {
    LOG.warn(line);
    LogMessage m = new LogMessage(line, "health", "app", "WARNING", Instant.now().toString());
    publish.apply(Topics.log(leaderUnit, Topics.UNIT_LEVEL, "app", "warning"), m.toBuffer())
        .onFailure(err -> LOG.warn("could not store the line above ({}): it is in this log only", err.getMessage()));
  }
}
