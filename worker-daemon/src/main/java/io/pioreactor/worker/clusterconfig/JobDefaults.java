package io.pioreactor.worker.clusterconfig;

import io.pioreactor.protocol.config.ConfigRules;
import io.pioreactor.protocol.config.Ini;
import io.pioreactor.worker.hardware.HatSettings;

/**
 * What jobs take from the cluster configuration, read once per version: a job started later uses the new values, a
 * running one keeps what it started with. An option the configuration leaves unset falls back to the unit's own file
 * ({@code hardware.*} in worker.json), so installs from before the cluster configuration keep their values.
 *
 * @param version the configuration's version, or null when the unit has none yet (its own file only)
 */
public record JobDefaults(String version, double stirringTargetRpm, double stirringUpdateSeconds, double odIntervalSeconds) {

  /** Before any cluster configuration: the unit's own file and upstream's defaults. */
  public static JobDefaults fromHardware(HatSettings hat) {
    return new JobDefaults(null, 500, hat.stirringUpdateSeconds(), hat.odIntervalSeconds());
  }

  /** Throws IllegalArgumentException naming the option for a value the jobs cannot use. */
  public static JobDefaults from(String version, Ini ini, HatSettings hat) {
    JobDefaults base = fromHardware(hat);
    double rpm = number(ini, ConfigRules.STIRRING, "initial_target_rpm", base.stirringTargetRpm());
    double update = number(ini, ConfigRules.STIRRING, "duration_between_updates_seconds", base.stirringUpdateSeconds());
    double sps = number(ini, ConfigRules.OD_READING, "samples_per_second", 1 / base.odIntervalSeconds());
    double interval = 1 / sps;
    if (!(interval >= 0.1 && interval <= 3600)) {
      throw new IllegalArgumentException("[od_reading.config] samples_per_second must give 0.1 to 3600 s between readings");
    }
    return new JobDefaults(version, rpm, update, interval);
  }

  private static double number(Ini ini, String section, String key, double dflt) {
    String v = ini.get(section, key).orElse("");
    if (v.isEmpty()) {
      return dflt;
    }
    try {
      double d = Double.parseDouble(v);
      if (Double.isFinite(d) && d >= 0) {
        return d;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException("[" + section + "] " + key + " must be a number, not '" + v + "'");
  }
}
