package io.pioreactor.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The worker daemon's jar as a process on pi4j's mock platform, with the JVM flags of its systemd unit. */
final class WorkerProcess implements AutoCloseable {
  private final Process process;

  private WorkerProcess(Process process) {
    this.process = process;
  }

  static WorkerProcess start(Path repo, Path dir, String unit, int brokerPort) throws IOException {
    return start(repo, dir, unit, brokerPort, null);
  }

  /** {@code password}: the unit's broker password (null on an open broker). */
  static WorkerProcess start(Path repo, Path dir, String unit, int brokerPort, String password) throws IOException {
    Path file = dir.resolve(unit + ".json");
    JsonObject mqtt = new JsonObject().put("host", "127.0.0.1").put("port", brokerPort).put("keepalive_seconds", 5);
    if (password != null) {
      mqtt.put("username", unit).put("password", password);
    }
    Files.writeString(file, new JsonObject().put("unit", unit)
        .put("mqtt", mqtt)
        .put("hardware", new JsonObject().put("platform", "mock"))
        // Never the defaults (sudo systemctl reboot / poweroff) on the machine running the bench.
        .put("reboot_command", new io.vertx.core.json.JsonArray().add("true"))
        .put("shutdown_command", new io.vertx.core.json.JsonArray().add("true"))
        .put("state_dir", dir.resolve("state").toString()).encodePrettily());
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(systemdFlags(repo));
    cmd.addAll(List.of("-jar", repo.resolve("worker-daemon/target/worker-daemon.jar").toString(), "--config", file.toString()));
    return new WorkerProcess(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(unit + ".log").toFile()).start());
  }

  /**
   * The JVM flags in {@code conf/systemd/pioreactor-worker.service}'s ExecStart (between the java binary and -jar),
   * read from the unit itself so the figures follow it when it changes.
   */
  static List<String> systemdFlags(Path repo) throws IOException {
    for (String line : Files.readAllLines(repo.resolve("conf/systemd/pioreactor-worker.service"))) {
      if (line.startsWith("ExecStart=")) {
        List<String> words = Arrays.asList(line.substring("ExecStart=".length()).trim().split("\\s+"));
        return List.copyOf(words.subList(1, words.indexOf("-jar")));
      }
    }
    throw new IllegalStateException("no ExecStart in the worker's systemd unit");
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL: no clean disconnect, as a power cut. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
