package io.pioreactor.leader.profiles;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Profile times: a number of hours ({@code 1.5}), or {@code 30s}, {@code 2m}, {@code 1.5h}, {@code 2d}. */
public final class Durations {
  private static final Pattern WITH_UNIT = Pattern.compile("^\\s*([0-9]*\\.?[0-9]+)\\s*([smhd])\\s*$");
  /** Longer than any experiment: a typo like {@code 3000d} is refused rather than waited for. */
  static final long MAX_MILLIS = 365L * 24 * 3_600_000;

  private Durations() {}

  /** Milliseconds; throws IllegalArgumentException with a reason a person can act on. */
  public static long toMillis(Object value) {
    double hours;
    if (value instanceof Number n) {
      hours = n.doubleValue();
    } else if (value instanceof String s) {
      Matcher m = WITH_UNIT.matcher(s);
      if (m.matches()) {
        double v = Double.parseDouble(m.group(1));
        hours = switch (m.group(2)) {
          case "s" -> v / 3600;
          case "m" -> v / 60;
          case "h" -> v;
          default -> v * 24;
        };
      } else {
        try {
          hours = Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("'" + s + "' is not a time: use hours (1.5) or 30s, 2m, 1.5h, 2d");
        }
      }
    } else {
      throw new IllegalArgumentException("a time is a number of hours or a string like 30s, 2m, 1.5h, 2d");
    }
    if (!Double.isFinite(hours) || hours < 0) {
      throw new IllegalArgumentException("a time cannot be negative");
    }
    long ms = Math.round(hours * 3_600_000);
    if (ms > MAX_MILLIS) {
      throw new IllegalArgumentException("a time of more than a year is surely a typo");
    }
    return ms;
  }
}
