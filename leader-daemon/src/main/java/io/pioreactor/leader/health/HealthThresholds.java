package io.pioreactor.leader.health;

import io.vertx.core.json.JsonObject;

/**
 * The leader config's {@code health} block (docs/config.md): when a unit's health is a warning. A disk with less than
 * {@code disk_free_min_percent} free, a CPU hotter than {@code cpu_temp_max_c}, no HAT when {@code hat_required}, no
 * database backup for {@code backup_max_age_days}, and a clock further from the leader's than {@code clocks.max_offset_s}
 * (one setting for this warning and the card's clock line: given by the caller, never read here).
 */
public record HealthThresholds(double diskFreeMinPercent, double cpuTempMaxC, double clockOffsetMaxS, boolean hatRequired,
                               double backupMaxAgeDays) {

  public static HealthThresholds defaults() {
    return fromJson(null);
  }

  /** With the clock's default threshold, 1 s. */
  public static HealthThresholds fromJson(JsonObject o) {
    return fromJson(o, 1);
  }

  public static HealthThresholds fromJson(JsonObject o, double clockOffsetMaxS) {
    JsonObject c = o == null ? new JsonObject() : o;
    if (c.containsKey("clock_offset_max_s")) {
      throw new IllegalArgumentException("health.clock_offset_max_s: the clock's threshold is clocks.max_offset_s (one setting "
          + "for this warning and the card's clock line)");
    }
    for (String key : c.fieldNames()) {
      if (!java.util.Set.of("disk_free_min_percent", "cpu_temp_max_c", "hat_required", "backup_max_age_days").contains(key)) {
        throw new IllegalArgumentException("health." + key + " is not an option (disk_free_min_percent, cpu_temp_max_c, "
            + "hat_required, backup_max_age_days)");
      }
    }
    Object hat = c.getValue("hat_required", true);
    if (!(hat instanceof Boolean required)) {
      throw new IllegalArgumentException("health.hat_required must be true or false");
    }
    return new HealthThresholds(number(c, "disk_free_min_percent", 10, 0, 100), number(c, "cpu_temp_max_c", 80, 0, 150),
        clockOffsetMaxS, required, number(c, "backup_max_age_days", 30, 1, 3_650));
  }

  private static double number(JsonObject c, String key, double dflt, double min, double max) {
    Object v = c.getValue(key, dflt);
    if (!(v instanceof Number n) || !(n.doubleValue() >= min && n.doubleValue() <= max)) {
      throw new IllegalArgumentException("health." + key + " must be a number between " + min + " and " + max);
    }
    return n.doubleValue();
  }
}
