package io.pioreactor.leader.health;

import io.pioreactor.protocol.UnitHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The thresholds applied to what a unit says of itself and to what the leader measures of it. Pure: every input is
 * given, those the leader may not know yet (the clock offset, the newest backup) as optional; an unknown one warns of
 * nothing.
 */
public final class HealthRules {
  /** A health older than this many of the unit's own intervals, while the unit is connected, has stopped arriving. */
  public static final int STALE_INTERVALS = 3;

  private final HealthThresholds t;

  public HealthRules(HealthThresholds thresholds) {
    this.t = thresholds;
  }

  /** What the leader knows of one unit when it judges it. */
  public record Inputs(UnitHealth health, Instant receivedAt, boolean connected, Optional<Double> clockOffsetS,
                       Optional<Instant> newestBackup) {}

  public List<HealthWarning> warnings(Inputs in, Instant now) {
    List<HealthWarning> out = new ArrayList<>();
    UnitHealth h = in.health();
    if (h != null) {
      double free = h.disk().freePercent();
      if (free < t.diskFreeMinPercent()) {
        out.add(new HealthWarning("disk", "disk " + fmt(free) + " % free on " + h.disk().path() + " (below "
            + fmt(t.diskFreeMinPercent()) + " %)", "disk " + fmt(free) + " % free"));
      }
      if (h.cpuTemperatureC() != null && h.cpuTemperatureC() > t.cpuTempMaxC()) {
        out.add(new HealthWarning("cpu_temperature", "CPU at " + fmt(h.cpuTemperatureC()) + " °C (above "
            + fmt(t.cpuTempMaxC()) + " °C)", "CPU " + fmt(h.cpuTemperatureC()) + " °C"));
      }
      if (t.hatRequired() && !h.hatDetected()) {
        out.add(new HealthWarning("hat", "no HAT detected (the unit cannot stir, dose, heat or read OD)", "no HAT"));
      }
      if (in.connected() && in.receivedAt() != null
          && Duration.between(in.receivedAt(), now).toSeconds() > (long) STALE_INTERVALS * h.intervalSeconds()) {
        // (since when, not for how long: the words stay the same while it lasts, so it is said once)
        out.add(new HealthWarning("health_stale", "no health from the unit since " + in.receivedAt().truncatedTo(
            java.time.temporal.ChronoUnit.SECONDS) + " (it says every " + h.intervalSeconds() + " s) though it is connected",
            "health stale"));
      }
    }
    in.clockOffsetS().filter(o -> Math.abs(o) > t.clockOffsetMaxS()).ifPresent(o -> out.add(new HealthWarning(
        "clock_offset", "clock " + fmt(Math.abs(o)) + " s " + (o > 0 ? "ahead of" : "behind") + " the leader's (more than "
            + fmt(t.clockOffsetMaxS()) + " s)", "clock off " + fmt(o) + " s")));
    in.newestBackup().ifPresent(b -> {
      double days = Duration.between(b, now).toHours() / 24.0;
      if (days > t.backupMaxAgeDays()) {
        out.add(new HealthWarning("backup", "no database backup for " + fmt(Math.floor(days)) + " days (more than "
            + fmt(t.backupMaxAgeDays()) + ")", "backup " + fmt(Math.floor(days)) + " days old"));
      }
    });
    return out;
  }

  /** A figure as people write it: 4, 4.5, 80 (one decimal at most). */
  static String fmt(double v) {
    double r = Math.round(v * 10) / 10.0;
    return r == Math.rint(r) ? String.valueOf((long) r) : String.format(Locale.ROOT, "%.1f", r);
  }
}
