package io.pioreactor.leader.clocks;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** A unit's clock as last measured: its offset from the leader's (ahead: positive), the round trip, and when. */
public record UnitClock(double offsetMs, double roundTripMs, Instant measuredAt) {

  static UnitClock of(ClockSample s, Instant at) {
    return new UnitClock(s.offsetMs(), s.roundTripMs(), at);
  }

  /** {@code {offset_ms, round_trip_ms, measured_at, within_threshold}} (ms to the microsecond). */
  public JsonObject toJson(double maxOffsetMs) {
    return new JsonObject().put("offset_ms", micro(offsetMs)).put("round_trip_ms", micro(roundTripMs))
        .put("measured_at", measuredAt.toString()).put("within_threshold", Math.abs(offsetMs) <= maxOffsetMs);
  }

  private static double micro(double ms) {
    return Math.round(ms * 1000) / 1000.0;
  }
}
