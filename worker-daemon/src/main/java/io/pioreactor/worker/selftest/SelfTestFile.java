package io.pioreactor.worker.selftest;

import io.pioreactor.protocol.SelfTestResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code <state_dir>/self-test-<unit>.json}: the last self test's {@code {"at", "passed", "failed"}}, for whoever checks
 * the unit's health on the unit itself. Written whole or not at all (a temporary file beside it, then moved over it), so
 * a reader never sees half of one.
 */
public final class SelfTestFile {
  private SelfTestFile() {}

  public static Future<Void> write(Vertx vertx, Path file, SelfTestResult result) {
    byte[] bytes = result.toFileJson().encodePrettily().getBytes(StandardCharsets.UTF_8);
    return vertx.executeBlocking(() -> {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      try {
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
      return null;
    }, false);
  }
}
