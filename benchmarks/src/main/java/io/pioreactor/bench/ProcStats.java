package io.pioreactor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's resident memory and CPU time, read from /proc as {@code top} would. */
final class ProcStats {
  /** Kernel clock ticks per second for /proc/<pid>/stat times; 100 on every Linux this runs on (getconf CLK_TCK). */
  static final double TICKS_PER_SECOND = 100.0;

  private ProcStats() {}

  static long rssKb(long pid) {
    return LeaderFootprint.rssKb(pid);
  }

  /** utime + stime in seconds, or -1 when the process is gone. */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // Fields after the command name (which may hold spaces) start at the last ')': state is field 3, utime 14, stime 15.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** CPU used between two readings, as a share of one core over {@code wallSeconds}. */
  record Window(double cpuSeconds, double wallSeconds) {
    double coreShare() {
      return cpuSeconds / wallSeconds;
    }
  }

  /** Starts a reading now; {@link Meter#stop()} gives the window. */
  static Meter meter(long pid) {
    return new Meter(pid, cpuSeconds(pid), System.nanoTime());
  }

  record Meter(long pid, double cpu0, long t0) {
    Window stop() {
      return new Window(cpuSeconds(pid) - cpu0, (System.nanoTime() - t0) / 1e9);
    }
  }
}
