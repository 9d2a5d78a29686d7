package io.pioreactor.protocol.host;

import java.util.Optional;

/** Linux's own words (both daemons read them: the worker for its health, the leader for upstream's /unit_api/system routes) for memory, load, uptime and temperature, read as figures (pure: the files are read elsewhere). */
public final class ProcParsers {
  private ProcParsers() {}

  /** {@code /proc/meminfo}: [MemTotal, MemAvailable] in bytes, or empty when either line is missing. */
  public static Optional<long[]> memory(String meminfo) {
    Long total = null;
    Long available = null;
    for (String line : meminfo.split("\n")) {
      String[] p = line.trim().split("\\s+");
      if (p.length < 2) {
        continue;
      }
      try {
        long bytes = Long.parseLong(p[1]) * (p.length > 2 && p[2].equals("kB") ? 1024 : 1);
        if (p[0].equals("MemTotal:")) {
          total = bytes;
        } else if (p[0].equals("MemAvailable:")) {
          available = bytes;
        }
      } catch (NumberFormatException e) {
        // not a figure: skipped
      }
    }
    return total == null || available == null ? Optional.empty() : Optional.of(new long[] {total, available});
  }

  /** {@code /proc/loadavg}: the 1, 5 and 15 minute load averages. */
  public static Optional<double[]> load(String loadavg) {
    String[] p = loadavg.trim().split("\\s+");
    if (p.length < 3) {
      return Optional.empty();
    }
    try {
      return Optional.of(new double[] {Double.parseDouble(p[0]), Double.parseDouble(p[1]), Double.parseDouble(p[2])});
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** {@code /proc/uptime}: seconds since boot (its first figure). */
  public static Optional<Double> uptime(String uptime) {
    String[] p = uptime.trim().split("\\s+");
    try {
      double v = Double.parseDouble(p[0]);
      return v >= 0 && Double.isFinite(v) ? Optional.of(v) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** {@code thermal_zone0/temp}: millidegrees Celsius → °C (one decimal); empty when it is not a figure. */
  public static Optional<Double> temperature(String temp) {
    try {
      long milli = Long.parseLong(temp.trim());
      return Optional.of(Math.round(milli / 100.0) / 10.0);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
