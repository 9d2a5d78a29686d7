package io.pioreactor.leader.telemetry;

import io.pioreactor.protocol.MalformedMessageException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Times as units report them, written one way: UTC with microseconds ({@code 2026-12-02T10:00:00.123456Z}, upstream's
 * format). One width for every row matters: the time-series queries compare timestamps as text.
 */
public final class UnitTime {
  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
  /** How far ahead of the leader's clock a unit's time may be (clocks drift); later readings are refused. */
  public static final java.time.Duration MAX_AHEAD = java.time.Duration.ofMinutes(10);

  private UnitTime() {}

  public static String format(Instant t) {
    return FORMAT.format(t);
  }

  /** A unit's timestamp in the stored format; throws for anything that is not an ISO-8601 time with a zone. */
  public static String normalize(Object value) {
    if (!(value instanceof String s) || s.length() > 40) {
      throw new MalformedMessageException("'timestamp' must be an ISO-8601 time, e.g. 2026-12-02T10:00:00.000Z");
    }
    Instant t;
    try {
      t = OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      throw new MalformedMessageException("'timestamp' must be an ISO-8601 time with a zone, not '" + s + "'");
    }
    if (t.isBefore(EARLIEST)) {
      throw new MalformedMessageException("'timestamp' " + s + " is before 2000: is the unit's clock set?");
    }
    if (t.isAfter(Instant.now().plus(MAX_AHEAD))) {
      throw new MalformedMessageException("'timestamp' " + s + " is more than " + MAX_AHEAD.toMinutes()
          + " minutes ahead of the leader's clock: is the unit's clock set?");
    }
    return format(t);
  }
}
