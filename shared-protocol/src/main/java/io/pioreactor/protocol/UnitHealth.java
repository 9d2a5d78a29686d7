package io.pioreactor.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A unit's health, retained on {@link Topics#health}: what its own machine says of itself, measured by the worker.
 * <pre>{"pioreactor_unit", "at", "interval_seconds",
 *  "disk": {"path", "free_bytes", "total_bytes", "free_percent"},
 *  "memory": {"total_bytes", "available_bytes"}, "load": {"1m", "5m", "15m"},
 *  "cpu_temperature_c": number|null, "uptime_seconds", "broker_round_trip_ms": number|null,
 *  "hat_detected", "config_version": text|null, "self_test": {"at", "passed": [...], "failed": [...]}|null}</pre>
 * Figures the machine cannot give (no thermal zone, no round trip yet) are null, never made up. Bounded: at most
 * {@link #MAX_BYTES} on the wire, texts short, self-test lists at most {@link #MAX_TESTS} names each.
 */
public record UnitHealth(String unit, String at, int intervalSeconds, Disk disk, Long memoryTotalBytes,
                         Long memoryAvailableBytes, double[] load, Double cpuTemperatureC, Double uptimeSeconds,
                         Double brokerRoundTripMs, boolean hatDetected, String configVersion, SelfTest selfTest) {
  public static final int MAX_BYTES = 8 * 1024;
  public static final int MAX_TESTS = 64;
  /** Within an int, or malformed (a cast would take 2^32 + 1 for 1). */
  private static int intervalSeconds(Long v) throws MalformedMessageException {
    if (v == null || v < 0 || v > Integer.MAX_VALUE) {
      throw new MalformedMessageException("interval_seconds must be a whole number of seconds within range");
    }
    return (int) v.longValue();
  }

  private static final int MAX_TEXT = 256;

  /** The filesystem of the unit's state directory. */
  public record Disk(String path, long freeBytes, long totalBytes) {
    public Disk {
      if (path == null || path.length() > MAX_TEXT || path.chars().anyMatch(Character::isISOControl)) {
        throw new MalformedMessageException("'disk.path' must be a path of at most " + MAX_TEXT + " characters");
      }
      if (freeBytes < 0 || totalBytes <= 0 || freeBytes > totalBytes) {
        throw new MalformedMessageException("'disk' needs 0 <= free_bytes <= total_bytes and total_bytes > 0");
      }
    }

    public double freePercent() {
      return Math.round(freeBytes * 1000.0 / totalBytes) / 10.0;
    }
  }

  /** The unit's last self test, as its self-test file says. */
  public record SelfTest(String at, List<String> passed, List<String> failed) {
    public SelfTest {
      if (at != null && (at.length() > MAX_TEXT || at.chars().anyMatch(Character::isISOControl))) {
        throw new MalformedMessageException("'self_test.at' must be a short time stamp");
      }
      passed = names(passed, "self_test.passed");
      failed = names(failed, "self_test.failed");
    }

    JsonObject toJson() {
      return new JsonObject().put("at", at).put("passed", new JsonArray(passed)).put("failed", new JsonArray(failed));
    }

    public static SelfTest fromJson(JsonObject o) {
      return new SelfTest(Json.optionalString(o, "at"), Json.strings(o, "passed"), Json.strings(o, "failed"));
    }
  }

  public UnitHealth {
    Names.unitNameProblem(unit).ifPresent(p -> {
      throw new MalformedMessageException("'pioreactor_unit': " + p);
    });
    if (at == null || at.length() > 64) {
      throw new MalformedMessageException("'at' is required (an ISO-8601 time)");
    }
    if (intervalSeconds < 1 || intervalSeconds > 86_400) {
      throw new MalformedMessageException("'interval_seconds' must be 1-86400");
    }
    if (disk == null) {
      throw new MalformedMessageException("'disk' is required");
    }
    if (load == null || load.length != 3) {
      load = null;
    }
    if (configVersion != null && !configVersion.matches("[0-9a-f]{" + ConfigDelivery.VERSION_LENGTH + "}")) {
      throw new MalformedMessageException("'config_version' must be " + ConfigDelivery.VERSION_LENGTH + " hex digits");
    }
    for (Double d : new Double[] {cpuTemperatureC, uptimeSeconds, brokerRoundTripMs}) {
      if (d != null && !Double.isFinite(d)) {
        throw new MalformedMessageException("figures must be finite numbers or null");
      }
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("pioreactor_unit", unit).put("at", at).put("interval_seconds", intervalSeconds)
        .put("disk", new JsonObject().put("path", disk.path()).put("free_bytes", disk.freeBytes())
            .put("total_bytes", disk.totalBytes()).put("free_percent", disk.freePercent()))
        .put("memory", new JsonObject().put("total_bytes", memoryTotalBytes).put("available_bytes", memoryAvailableBytes))
        .put("load", load == null ? null : new JsonObject().put("1m", load[0]).put("5m", load[1]).put("15m", load[2]))
        .put("cpu_temperature_c", cpuTemperatureC).put("uptime_seconds", uptimeSeconds)
        .put("broker_round_trip_ms", brokerRoundTripMs).put("hat_detected", hatDetected)
        .put("config_version", configVersion).put("self_test", selfTest == null ? null : selfTest.toJson());
  }

  public Buffer toBuffer() {
    return toJson().toBuffer();
  }

  public static UnitHealth fromBuffer(Buffer b) {
    if (b.length() > MAX_BYTES) {
      throw new MalformedMessageException("health is at most " + MAX_BYTES + " bytes, got " + b.length());
    }
    JsonObject o = Json.object(b);
    JsonObject d = Json.requiredObject(o, "disk");
    JsonObject m = Json.optionalObject(o, "memory");
    JsonObject l = Json.optionalObject(o, "load");
    double[] load = l.isEmpty() ? null : new double[] {number(l, "1m"), number(l, "5m"), number(l, "15m")};
    JsonObject st = o.getValue("self_test") == null ? null : Json.optionalObject(o, "self_test");
    return new UnitHealth(Json.requiredString(o, "pioreactor_unit"), Json.requiredString(o, "at"),
        intervalSeconds(whole(o, "interval_seconds", true)),
        new Disk(Json.requiredString(d, "path"), whole(d, "free_bytes", true), whole(d, "total_bytes", true)),
        whole(m, "total_bytes", false), whole(m, "available_bytes", false), load,
        optionalNumber(o, "cpu_temperature_c"), optionalNumber(o, "uptime_seconds"),
        optionalNumber(o, "broker_round_trip_ms"), Json.bool(o, "hat_detected", false),
        Json.optionalString(o, "config_version"), st == null ? null : SelfTest.fromJson(st));
  }

  private static List<String> names(List<String> in, String key) {
    List<String> out = in == null ? List.of() : List.copyOf(in);
    if (out.size() > MAX_TESTS || out.stream().anyMatch(s -> s.isEmpty() || s.length() > 64
        || s.chars().anyMatch(Character::isISOControl))) {
      throw new MalformedMessageException("'" + key + "' holds at most " + MAX_TESTS + " short test names");
    }
    return out;
  }

  private static double number(JsonObject o, String key) {
    Double v = optionalNumber(o, key);
    if (v == null) {
      throw new MalformedMessageException("'" + key + "' is required");
    }
    return v;
  }

  private static Double optionalNumber(JsonObject o, String key) {
    Object v = o.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      throw new MalformedMessageException("'" + key + "' must be a number");
    }
    return n.doubleValue();
  }

  private static Long whole(JsonObject o, String key, boolean required) {
    Object v = o.getValue(key);
    if (v == null && !required) {
      return null;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 0) {
      throw new MalformedMessageException("'" + key + "' must be a whole number");
    }
    return n.longValue();
  }
}
