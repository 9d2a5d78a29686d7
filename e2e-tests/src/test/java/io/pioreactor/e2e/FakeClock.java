package io.pioreactor.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A daemon whose wall clock is off, through Debian's libfaketime: its skew ({@code +30s}) is read from a file (cached
 * for one second, counted in whole seconds: a change shows within 2 s), so a test can correct it while the daemon runs;
 * monotonic time stays real (timers, keepalives).
 */
public final class FakeClock {
  public static final Path LIBRARY = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1");

  public final Path skewFile;

  public FakeClock(Path dir, String skew) throws IOException {
    this.skewFile = dir.resolve("skew");
    set(skew);
  }

  /** Debian's libfaketime is here; under CI=true (.ci/run) its absence is a failure, not a skip. */
  public static boolean available() {
    if (!Files.exists(LIBRARY) && "true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("Debian's faketime is missing (" + LIBRARY + "): scripts/test installs it as root");
    }
    return Files.exists(LIBRARY);
  }

  public void set(String skew) throws IOException {
    Files.writeString(skewFile, skew + "\n");
  }

  /** What the daemon runs inside ({@link Cluster#startWorker(String, io.vertx.core.json.JsonArray, List, io.vertx.core.json.JsonObject)}). */
  public List<String> prefix() {
    return List.of("env", "LD_PRELOAD=" + LIBRARY, "FAKETIME_TIMESTAMP_FILE=" + skewFile, "FAKETIME_CACHE_DURATION=1",
        "FAKETIME_DONT_FAKE_MONOTONIC=1");
  }

  /**
   * The stand-in for {@code chronyc makestep}: a program (no shell line in the config) that sets the skew to +0s and
   * waits out libfaketime's cache (up to 2 s), as a step command returns once the clock is stepped.
   */
  public Path stepScript(Path dir) throws IOException {
    Path step = dir.resolve("step-clock");
    Files.writeString(step, "#!/bin/sh\necho +0s > '" + skewFile + "'\nsleep 2.5\n");
    Files.setPosixFilePermissions(step, PosixFilePermissions.fromString("rwxr-xr-x"));
    return step;
  }
}
