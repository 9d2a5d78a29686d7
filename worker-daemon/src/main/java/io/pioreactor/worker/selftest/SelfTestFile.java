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

  /** The last run's result from the file, or null when there is none (or it cannot be read: then everything runs). */
  public static Future<SelfTestResult> read(Vertx vertx, Path file) {
    return vertx.<SelfTestResult>executeBlocking(() -> {
      if (!Files.isReadable(file) || Files.size(file) > 16_384) {
        return null;
      }
      return SelfTestResult.fromJson(new io.vertx.core.json.JsonObject(Files.readString(file)));
    }, false).otherwise((SelfTestResult) null);
  }

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
