package io.pioreactor.worker.health;

import io.pioreactor.protocol.ConfigValues;
import io.vertx.core.json.JsonObject;

/**
 * The worker config's {@code health} block (docs/config.md): the health is published every {@code interval_seconds}
 * (default 60), the machine is looked at every {@code check_seconds} (default 5) so a meaningful change (the HAT, the
 * configuration version, the disk crossing a 5 % band) goes out at once, but never two publications closer than
 * {@code min_interval_seconds} (default 2).
 */
public record HealthSettings(int intervalSeconds, int checkSeconds, int minIntervalSeconds) {
  public static HealthSettings fromJson(JsonObject o) {
    JsonObject c = o == null ? new JsonObject() : o;
    int interval = ConfigValues.wholeNumber(c, "health", "interval_seconds", 60, 1, 3_600);
    int check = ConfigValues.wholeNumber(c, "health", "check_seconds", Math.min(5, interval), 1, 3_600);
    int floor = ConfigValues.wholeNumber(c, "health", "min_interval_seconds", Math.min(2, interval), 1, 3_600);
    if (check > interval || floor > interval) {
      throw new IllegalArgumentException("health.check_seconds and health.min_interval_seconds must not exceed health.interval_seconds");
    }
    return new HealthSettings(interval, check, floor);
  }
}
