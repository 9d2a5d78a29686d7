package io.pioreactor.protocol;

import io.vertx.core.json.JsonObject;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The field rules the measurement and event messages share ({@link DosingEvent}, {@link LedChangeEvent},
 * {@link MeasuredRpm}): what upstream's structs say (a timezone-aware ISO timestamp, finite numbers), bounded, since
 * the leader stores what it is sent. Each check throws {@link MalformedMessageException} with the reason.
 */
final class EventFields {
  static final int MAX_TIMESTAMP = 64;

  private EventFields() {}

  /** A JSON number (not text, not a boolean) that is finite. */
  static double number(JsonObject o, String key) {
    Object v = o.getValue(key);
    if (v == null) {
      throw new MalformedMessageException("'" + key + "' is required");
    }
    if (!(v instanceof Number n)) {
      throw new MalformedMessageException("'" + key + "' must be a number");
    }
    return finite(key, n.doubleValue());
  }

  static double finite(String key, double v) {
    if (!Double.isFinite(v)) {
      throw new MalformedMessageException("'" + key + "' must be a finite number");
    }
    return v;
  }

  static double between(String key, double v, double min, double max) {
    if (!(finite(key, v) >= min && v <= max)) {
      throw new MalformedMessageException("'" + key + "' must be between " + min + " and " + max + ", not " + v);
    }
    return v;
  }

  /** An ISO-8601 date and time with its offset ({@code 2026-01-01T00:00:00Z}, {@code …+01:00}), as upstream's {@code tz=True}. */
  static String timestamp(String key, String v) {
    if (v == null) {
      throw new MalformedMessageException("'" + key + "' is required");
    }
    if (v.length() > MAX_TIMESTAMP) {
      throw new MalformedMessageException("'" + key + "' has at most " + MAX_TIMESTAMP + " characters");
    }
    try {
      DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(v);
    } catch (DateTimeParseException e) {
      throw new MalformedMessageException("'" + key + "' must be an ISO-8601 date and time with its offset, like 2026-01-01T00:00:00Z");
    }
    return v;
  }

  /** Null (upstream's {@code None}), or 1 to {@code max} characters without control characters. */
  static String optionalText(String key, String v, int max) {
    if (v == null) {
      return null;
    }
    if (v.isEmpty() || v.length() > max) {
      throw new MalformedMessageException("'" + key + "' has 1 to " + max + " characters");
    }
    for (int i = 0; i < v.length(); i++) {
      if (Character.isISOControl(v.charAt(i))) {
        throw new MalformedMessageException("'" + key + "' cannot contain control characters");
      }
    }
    return v;
  }
}
