package io.pioreactor.worker.health;

import io.pioreactor.protocol.MalformedMessageException;
import io.pioreactor.protocol.UnitHealth;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The unit's last self test, {@code <state_dir>/self-test-<unit>.json} {@code {at, passed: [...], failed: [...]}}:
 * another part of the worker writes it; health only reads it (blocking: off the event loop). A file that is missing,
 * too big or not that shape is no self test, and is said once in the log.
 */
public final class SelfTestFile {
  private static final int MAX_BYTES = 16 * 1024;

  private SelfTestFile() {}

  public static Path of(Path stateDir, String unit) {
    return stateDir.resolve("self-test-" + unit + ".json");
  }

  /** The self test in {@code file}, or empty (with {@code problem} told why, unless the file is simply not there). */
  public static Optional<UnitHealth.SelfTest> read(Path file, java.util.function.Consumer<String> problem) {
    try {
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      if (Files.size(file) > MAX_BYTES) {
        problem.accept(file + " is over " + MAX_BYTES + " bytes: not read");
        return Optional.empty();
      }
      return Optional.of(parse(Buffer.buffer(Files.readAllBytes(file))));
    } catch (IOException e) {
      problem.accept("cannot read " + file + ": " + e.getMessage());
    } catch (MalformedMessageException | DecodeException | ClassCastException e) {
      problem.accept(file + " is not {at, passed: [...], failed: [...]}: " + e.getMessage());
    }
    return Optional.empty();
  }

  static UnitHealth.SelfTest parse(Buffer b) {
    Object v = b.toJsonValue();
    if (!(v instanceof JsonObject o)) {
      throw new MalformedMessageException("not a JSON object");
    }
    return UnitHealth.SelfTest.fromJson(o);
  }
}
