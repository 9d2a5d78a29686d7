package io.pioreactor.worker.activities;

import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.TreeSet;

/**
 * A job's start options, checked before anything starts: unknown keys and bad values are refused with a
 * message that names them. Numbers may arrive as JSON numbers or as text (from a CLI or a raw MQTT message).
 */
final class Options {
  private final String job;
  private final JsonObject raw;

  Options(String job, JsonObject raw, Set<String> allowed) {
    this.job = job;
    this.raw = raw;
    Set<String> unknown = new TreeSet<>(raw.fieldNames());
    unknown.removeAll(allowed);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(job + ": unknown option" + (unknown.size() > 1 ? "s " : " ") + unknown
          + (allowed.isEmpty() ? " (it takes none)" : " (it takes " + new TreeSet<>(allowed) + ")"));
    }
  }

  /**
   * Upstream's {@code automation_name} option (its web app always sends it): our automation jobs each run one
   * automation, so the name may be given only as that one.
   */
  void onlyAutomation(String name) {
    String asked = text(io.pioreactor.protocol.Jobs.AUTOMATION_NAME, name);
    if (!asked.equals(name)) {
      throw new IllegalArgumentException(job + " runs the '" + name + "' automation only, not '" + abbreviate(asked) + "'");
    }
  }

  boolean has(String key) {
    return raw.getValue(key) != null;
  }

  double number(String key, double dflt, double min, double max) {
    Object v = raw.getValue(key);
    if (v == null) {
      return dflt;
    }
    return parse(job, key, v, min, max);
  }

  /** A text option (a JSON string), or {@code dflt} when absent. */
  String text(String key, String dflt) {
    Object v = raw.getValue(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException(job + ": " + key + " must be text");
    }
    return s;
  }

  static double parse(String job, String key, Object v, double min, double max) {
    double d;
    if (v instanceof Number n) {
      d = n.doubleValue();
    } else if (v instanceof String s) {
      try {
        d = Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(job + ": " + key + " must be a number, got '" + abbreviate(s) + "'");
      }
    } else {
      throw new IllegalArgumentException(job + ": " + key + " must be a number");
    }
    if (!Double.isFinite(d) || d < min || d > max) {
      throw new IllegalArgumentException(job + ": " + key + " must be between " + fmt(min) + " and " + fmt(max) + ", got " + fmt(d));
    }
    return d;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
