package io.pioreactor.leader.clocks;

import io.pioreactor.protocol.ClockExchange;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * One clock exchange's four timestamps (epoch ms): the leader sent at {@code t1}, the unit received at {@code t2} and
 * answered at {@code t3} by its own clock, the leader received at {@code t4}. As NTP: offset = ((t2−t1)+(t3−t4))/2 (how
 * far the unit's clock is ahead of the leader's), round trip = (t4−t1)−(t3−t2) (time on the wire, the unit's own time
 * taken out).
 */
public record ClockSample(double t1, double t2, double t3, double t4) {
  /** Epoch ms in 1970–2100: a clock outside that is no clock (and a huge number no timestamp). */
  static final double LATEST_MS = 4_102_444_800_000.0;
  /** A unit answers at once, on its event loop; more than this between its t2 and t3 is not an honest answer. */
  static final double MAX_UNIT_TIME_MS = 1_000;
  /** Clock resolution slack: a round trip a hair below zero is zero. */
  static final double SLACK_MS = 1;

  public double offsetMs() {
    return ((t2 - t1) + (t3 - t4)) / 2;
  }

  public double roundTripMs() {
    return Math.max(0, (t4 - t1) - (t3 - t2));
  }

  /**
   * The sample of a reply's {@code result} ({@link ClockExchange#reply}), or why it is none: fields missing or not
   * numbers, timestamps outside 1970–2100, the unit's t3 before its t2 or long after it, a round trip below zero or
   * longer than {@code maxRoundTripMs}.
   */
  public static Sampled of(double t1, JsonObject result, double t4, double maxRoundTripMs) {
    Object a = result == null ? null : result.getValue(ClockExchange.T2);
    Object b = result == null ? null : result.getValue(ClockExchange.T3);
    if (!(a instanceof Number n2) || !(b instanceof Number n3)) {
      return Sampled.none("the answer has no t2 and t3 numbers");
    }
    double t2 = n2.doubleValue();
    double t3 = n3.doubleValue();
    if (!plausible(t2) || !plausible(t3)) {
      return Sampled.none("t2 or t3 is not a timestamp between 1970 and 2100");
    }
    if (t3 < t2 || t3 - t2 > MAX_UNIT_TIME_MS) {
      return Sampled.none("the unit's t3 is before its t2 or more than " + (long) MAX_UNIT_TIME_MS + " ms after it");
    }
    double rtt = (t4 - t1) - (t3 - t2);
    if (rtt < -SLACK_MS || rtt > maxRoundTripMs) {
      return Sampled.none("the round trip (" + Math.round(rtt) + " ms) is below zero or longer than the wait");
    }
    return new Sampled(Optional.of(new ClockSample(t1, t2, t3, t4)), null);
  }

  private static boolean plausible(double t) {
    return Double.isFinite(t) && t > 0 && t < LATEST_MS;
  }

  /** NTP's filter: of several samples, the one with the smallest round trip (least delay, least asymmetry). */
  public static Optional<ClockSample> best(List<ClockSample> samples) {
    ClockSample best = null;
    for (ClockSample s : samples) {
      if (best == null || s.roundTripMs() < best.roundTripMs()) {
        best = s;
      }
    }
    return Optional.ofNullable(best);
  }

  /** A sample, or the reason there is none. */
  public record Sampled(Optional<ClockSample> sample, String problem) {
    static Sampled none(String problem) {
      return new Sampled(Optional.empty(), problem);
    }
  }
}
