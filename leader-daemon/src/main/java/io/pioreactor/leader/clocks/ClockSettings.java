package io.pioreactor.leader.clocks;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The leader's {@code clocks} block (docs/config.md): how often each connected unit's clock is measured, how many
 * samples each measurement takes (the one with the smallest round trip is kept), and the offset beyond which a unit's
 * clock is a warning.
 */
public record ClockSettings(Duration interval, int samples, double maxOffsetS, Duration replyWait) {
  public static final ClockSettings DEFAULTS = new ClockSettings(Duration.ofSeconds(60), 4, 1.0, Duration.ofSeconds(2));

  /** {@code null}: the defaults. */
  public static ClockSettings fromJson(JsonObject o) {
    if (o == null) {
      return DEFAULTS;
    }
    Object interval = o.getValue("interval_s", 60);
    if (!(interval instanceof Number n) || !(n.doubleValue() >= 1 && n.doubleValue() <= 3600)) {
      throw new IllegalArgumentException("clocks.interval_s must be a number of seconds from 1 to 3600 (default 60)");
    }
    Object samples = o.getValue("samples", 4);
    if (!(samples instanceof Integer s) || s < 1 || s > 16) {
      throw new IllegalArgumentException("clocks.samples must be a whole number from 1 to 16 (default 4)");
    }
    Object max = o.getValue("max_offset_s", 1);
    if (!(max instanceof Number m) || !(m.doubleValue() > 0 && m.doubleValue() <= 86_400)) {
      throw new IllegalArgumentException("clocks.max_offset_s must be a number of seconds, more than 0 (default 1)");
    }
    return new ClockSettings(Duration.ofMillis(Math.round(n.doubleValue() * 1000)), s, m.doubleValue(), DEFAULTS.replyWait());
  }

  public double maxOffsetMs() {
    return maxOffsetS * 1000;
  }
}
