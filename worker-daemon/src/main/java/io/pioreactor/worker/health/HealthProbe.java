package io.pioreactor.worker.health;

import io.pioreactor.protocol.UnitHealth;
import io.pioreactor.protocol.host.ProcParsers;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Reads what this machine says of itself: the state directory's filesystem, {@code /proc/meminfo},
 * {@code /proc/loadavg}, {@code /proc/uptime}, the first thermal zone (absent on many machines: null, not an error),
 * whether the HAT is there, and the last self test. Blocking: call off the event loop.
 */
public final class HealthProbe {
  /** What was read; the parts the machine could not give are null. */
  public record Reading(UnitHealth.Disk disk, long[] memory, double[] load, Double cpuTemperatureC, Double uptimeSeconds,
                        boolean hatDetected, UnitHealth.SelfTest selfTest) {}

  private final Path stateDir;
  private final Path proc;
  private final Path thermal;
  private final Path selfTest;
  private final BooleanSupplier hat;
  private final Consumer<String> problem;

  /** {@code root}: where {@code proc} and {@code sys} are ("/" but in tests). */
  public HealthProbe(Path root, Path stateDir, String unit, BooleanSupplier hat, Consumer<String> problem) {
    this.stateDir = stateDir;
    this.proc = root.resolve("proc");
    this.thermal = root.resolve("sys/class/thermal/thermal_zone0/temp");
    this.selfTest = SelfTestFile.of(stateDir, unit);
    this.hat = hat;
    this.problem = problem;
  }

  public Reading read() throws IOException {
    return new Reading(disk(), text(proc.resolve("meminfo")).flatMap(ProcParsers::memory).orElse(null),
        text(proc.resolve("loadavg")).flatMap(ProcParsers::load).orElse(null),
        text(thermal).flatMap(ProcParsers::temperature).orElse(null),
        text(proc.resolve("uptime")).flatMap(ProcParsers::uptime).orElse(null),
        hat.getAsBoolean(), SelfTestFile.read(selfTest, problem).orElse(null));
  }

  /** The filesystem the state directory is on (its nearest existing ancestor while it is not made yet). */
  private UnitHealth.Disk disk() throws IOException {
    Path p = stateDir.toAbsolutePath();
    while (!Files.exists(p) && p.getParent() != null) {
      p = p.getParent();
    }
    FileStore store = Files.getFileStore(p);
    long total = store.getTotalSpace();
    long free = Math.min(store.getUsableSpace(), total);
    String shown = stateDir.toString();
    shown = shown.length() > 200 ? "…" + shown.substring(shown.length() - 200) : shown; // bounded on the wire
    return new UnitHealth.Disk(shown, free, Math.max(total, 1));
  }

  private static Optional<String> text(Path file) {
    try {
      return Files.isReadable(file) ? Optional.of(Files.readString(file)) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
