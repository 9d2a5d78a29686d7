package io.pioreactor.protocol;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The clock exchange's wire fields ({@link Protocol#CLOCK}), NTP's four timestamps: the leader sends {@code t1} (its
 * send time), the unit answers {@code t2} (its receive time) and {@code t3} (its send time), the leader notes {@code t4}
 * on receipt. Each is wall-clock epoch time in milliseconds, a number with a fraction (sub-millisecond where the clock has it).
 */
public final class ClockExchange {
  public static final String T1 = "t1";
  public static final String T2 = "t2";
  public static final String T3 = "t3";

  private ClockExchange() {}

  /** Now, in epoch milliseconds with microseconds as the fraction. */
  public static double nowMs() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1000.0 + now.getNano() / 1_000_000.0;
  }

  public static JsonObject request(double t1) {
    return new JsonObject().put(T1, t1);
  }

  /** The unit's answer: {@code t2} when the request arrived, {@code t3} now (taken last, just before it is sent). */
  public static JsonObject reply(double t2) {
    return new JsonObject().put(T2, t2).put(T3, nowMs());
  }
}
