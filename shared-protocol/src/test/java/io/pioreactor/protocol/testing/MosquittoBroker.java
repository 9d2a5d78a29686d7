package io.pioreactor.protocol.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's mosquitto on a free loopback port, for tests. Fails loudly when mosquitto is not installed
 * (scripts/test installs it): a skipped broker test would prove nothing.
 */
public final class MosquittoBroker implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final int wsPort;
  private Process process;

  private MosquittoBroker(Path dir, int port, int wsPort) {
    this.dir = dir;
    this.port = port;
    this.wsPort = wsPort;
  }

  /** Starts mosquitto with no authentication, TCP and WebSocket listeners. */
  public static MosquittoBroker start() {
    return start(List.of());
  }

  /** Starts mosquitto with extra config lines appended (password_file, acl_file, ...). */
  public static MosquittoBroker start(List<String> extraConfig) {
    try {
      Path dir = Files.createTempDirectory("mosquitto-test");
      MosquittoBroker b = new MosquittoBroker(dir, FreePorts.next(), FreePorts.next());
      b.launch(extraConfig);
      return b;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String executable() {
    for (String p : List.of("/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto")) {
      if (Files.isExecutable(Path.of(p))) {
        return p;
      }
    }
    throw new IllegalStateException("mosquitto is not installed: run scripts/test as root, or apt-get install mosquitto");
  }

  private void launch(List<String> extraConfig) throws IOException {
    List<String> conf = new ArrayList<>(List.of(
        "per_listener_settings false",
        // Run as root, mosquitto would switch to user 'mosquitto' and could not read the test's files.
        "user " + System.getProperty("user.name"),
        "persistence false",
        "set_tcp_nodelay true",
        "listener " + port + " 127.0.0.1",
        "protocol mqtt",
        "listener " + wsPort + " 127.0.0.1",
        "protocol websockets"));
    boolean hasAuth = extraConfig.stream().anyMatch(l -> l.startsWith("password_file"));
    if (!hasAuth) {
      conf.add("allow_anonymous true");
    }
    conf.addAll(extraConfig);
    Path confFile = dir.resolve("mosquitto.conf");
    Files.write(confFile, conf);
    process = new ProcessBuilder(executable(), "-c", confFile.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("mosquitto.log").toFile())
        .start();
    waitForPort(Duration.ofSeconds(10));
  }

  private void waitForPort(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("mosquitto exited: see " + dir.resolve("mosquitto.log"));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    throw new IllegalStateException("mosquitto did not listen on " + port);
  }

  public int port() {
    return port;
  }

  public int wsPort() {
    return wsPort;
  }

  public Path directory() {
    return dir;
  }

  /** SIGHUP: mosquitto reads its password and ACL files again (new credentials), as {@code systemctl reload} does. */
  public void reload() {
    try {
      if (new ProcessBuilder("kill", "-HUP", String.valueOf(process.pid())).start().waitFor() != 0) {
        throw new IllegalStateException("kill -HUP mosquitto failed");
      }
      Thread.sleep(100); // it reads the files on its next loop
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops and starts it again on the same ports (retained state is gone: persistence is off, as upstream). */
  public void restart() {
    stop();
    startAgain();
  }

  /** Stops it, as a crashed or restarting broker: clients lose their connections. */
  public void stop() {
    stopProcess();
  }

  /** Starts it again, after {@link #stop()}, on the same ports and with the same configuration. */
  public void startAgain() {
    try {
      process = new ProcessBuilder(executable(), "-c", dir.resolve("mosquitto.conf").toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile()))
          .start();
      waitForPort(Duration.ofSeconds(10));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void stopProcess() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    stopProcess();
  }
}
