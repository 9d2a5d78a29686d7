package io.pioreactor.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A daemon's jar started as a user would: {@code java -jar <jar> --config <file>}, output to a log file. */
public final class DaemonProcess implements AutoCloseable {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path LEADER_JAR = ROOT.resolve("leader-daemon/target/leader-daemon.jar");
  static final Path WORKER_JAR = ROOT.resolve("worker-daemon/target/worker-daemon.jar");

  private final List<String> command;
  private final Path log;
  private Process process;

  DaemonProcess(Path jar, Path config, Path log) {
    this(List.of(), jar, config, log);
  }

  /** {@code prefix} runs the daemon inside something, e.g. a network namespace. */
  DaemonProcess(List<String> prefix, Path jar, Path config, Path log) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build with `mvn package` (the reactor does it before these tests)");
    }
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(List.of(java(), "-XX:+UseSerialGC", "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError", "-jar", jar.toString(),
        "--config", config.toString()));
    this.command = List.copyOf(cmd);
    this.log = log;
  }

  /**
   * Writes {@code config} to {@code dir/<name>/config.json} and starts the daemon inside {@code prefix} (a network
   * namespace's host, say), logging to {@code dir/<name>/daemon.log}.
   */
  static DaemonProcess startIn(List<String> prefix, Path dir, String name, Path jar, io.vertx.core.json.JsonObject config)
      throws IOException {
    Path sub = Files.createDirectories(dir.resolve(name));
    Files.writeString(sub.resolve("config.json"), config.encodePrettily());
    return new DaemonProcess(prefix, jar, sub.resolve("config.json"), sub.resolve("daemon.log")).start();
  }

  static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  DaemonProcess start() {
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long pid() {
    return process.pid();
  }

  /** Resident memory now, from /proc (kB), or -1 when unknown. */
  long rssKb() {
    try {
      for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone, or not Linux
    }
    return -1;
  }

  /** The whole log so far. */
  String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** SIGSTOP / SIGCONT: the process freezes with its sockets open, as a worker whose network went away. */
  public void pause() throws IOException, InterruptedException {
    signal("-STOP");
  }

  public void resume() throws IOException, InterruptedException {
    signal("-CONT");
  }

  private void signal(String sig) throws IOException, InterruptedException {
    int rc = new ProcessBuilder("kill", sig, String.valueOf(process.pid())).inheritIO().start().waitFor();
    if (rc != 0) {
      throw new IllegalStateException("kill " + sig + " failed");
    }
  }

  /** SIGKILL: no clean disconnect, so the broker fires the will. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  String logTail() {
    try {
      List<String> lines = Files.exists(log) ? Files.readAllLines(log) : new ArrayList<>();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
