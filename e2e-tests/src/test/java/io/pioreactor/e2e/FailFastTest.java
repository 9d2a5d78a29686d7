package io.pioreactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon that runs out of memory must exit (non-zero), so systemd's {@code Restart=on-failure} starts it again;
 * without {@code -XX:+ExitOnOutOfMemoryError} a JVM whose event loop died of it stays up, serving nothing. This runs
 * the very command line of the shipped systemd unit (conf/systemd), with the paths pointed here and the heap made too
 * small for the daemon to start: forced out of memory, it must be gone within a minute.
 */
class FailFastTest {
  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"pioreactor-leader", "pioreactor-worker"})
  @DisplayName("the shipped unit's command line exits non-zero when the daemon runs out of memory")
  void outOfMemoryExits(String unit) throws Exception {
    List<String> command = shippedCommand(unit);
    boolean leader = unit.endsWith("leader");
    Path config = dir.resolve(unit + ".json");
    Files.writeString(config, (leader
        ? new JsonObject().put("unit", "oom").put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
            .put("broker", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("ws_port", 0).put("persistence", false))
            .put("discovery", new JsonObject().put("enabled", false))
            .put("database", new JsonObject().put("path", dir.resolve("oom.sqlite").toString()))
        : new JsonObject().put("unit", "oom").put("hardware", new JsonObject().put("platform", "mock"))
            .put("discovery", new JsonObject().put("enabled", false))
            .put("mqtt", new JsonObject().put("host", "127.0.0.1").put("port", 1))).encode());
    List<String> cmd = new ArrayList<>();
    for (String word : command) {
      if (word.endsWith(".jar")) {
        cmd.add((leader ? DaemonProcess.LEADER_JAR : DaemonProcess.WORKER_JAR).toString());
      } else if (word.startsWith("/etc/pioreactor/")) {
        cmd.add(config.toString());
      } else if (word.equals("/usr/bin/java")) {
        cmd.add(DaemonProcess.java());
      } else if (word.equals("-jar")) {
        cmd.add("-Xmx3m"); // the last -Xmx wins: far too little for the daemon, so it runs out of memory starting up
        cmd.add(word);
      } else {
        cmd.add(word);
      }
    }
    assertThat(cmd).as("the shipped command line asks the JVM to exit on OutOfMemoryError").contains("-XX:+ExitOnOutOfMemoryError");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(unit + ".log").toFile()).start();
    boolean exited = p.waitFor(60, TimeUnit.SECONDS);
    if (!exited) {
      p.destroyForcibly();
    }
    String log = Files.readString(dir.resolve(unit + ".log"));
    assertThat(exited).as("exited within a minute; its output:\n" + log).isTrue();
    assertThat(p.exitValue()).as(log).isNotZero();
    assertThat(log).contains("OutOfMemoryError");
  }

  /** The ExecStart line of conf/systemd/&lt;unit&gt;.service, as words. */
  static List<String> shippedCommand(String unit) throws Exception {
    for (String line : Files.readAllLines(DaemonProcess.ROOT.resolve("conf/systemd/" + unit + ".service"))) {
      if (line.startsWith("ExecStart=")) {
        return Arrays.asList(line.substring("ExecStart=".length()).trim().split("\\s+"));
      }
    }
    throw new AssertionError("no ExecStart in " + unit + ".service");
  }
}
