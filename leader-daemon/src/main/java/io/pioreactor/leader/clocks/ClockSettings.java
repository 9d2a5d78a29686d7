package io.pioreactor.leader.clocks;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * The leader's {@code clocks} block (docs/config.md): how often each connected unit's clock is measured, how many
 * samples each measurement takes (the one with the smallest round trip is kept), the offset beyond which a unit's
 * clock is a warning, and the command (if any) that sets the leader's own clock for upstream's "Update clocks".
 */
public record ClockSettings(Duration interval, int samples, double maxOffsetS, Duration replyWait, List<String> leaderSetCommand) {
  public static final ClockSettings DEFAULTS = new ClockSettings(Duration.ofSeconds(60), 4, 1.0, Duration.ofSeconds(2), List.of());

  /** Without a command to set the leader's own clock. */
  public ClockSettings(Duration interval, int samples, double maxOffsetS, Duration replyWait) {
    this(interval, samples, maxOffsetS, replyWait, List.of());
  }

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
    Object set = o.getValue("leader_set_command", new JsonArray());
    if (!(set instanceof JsonArray a) || a.stream().anyMatch(x -> !(x instanceof String str) || str.isEmpty())) {
      throw new IllegalArgumentException("clocks.leader_set_command must be a list of strings (a program and its arguments, "
          + "no shell; the time is added as the last argument), e.g. [\"sudo\", \"-n\", \"/usr/bin/date\", \"-u\", \"-s\"]");
    }
    return new ClockSettings(Duration.ofMillis(Math.round(n.doubleValue() * 1000)), s, m.doubleValue(), DEFAULTS.replyWait(),
        a.stream().map(String.class::cast).toList());
  }

  public double maxOffsetMs() {
    return maxOffsetS * 1000;
  }
}
