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
  private static final Instant LATEST = Instant.parse("2200-01-01T00:00:00Z");

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
    if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
      throw new MalformedMessageException("'timestamp' " + s + " is outside 2000–2200: is the unit's clock set?");
    }
    return format(t);
  }
}
