package io.pioreactor.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the leader's jar as a user would and measures the time until its API answers and its resident
 * memory once idle. Run with the embedded broker, or pointed at an external one.
 */
public final class LeaderFootprint {
  /** The JVM flags the systemd unit uses for the leader. */
  public static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1");

  public record Sample(double startSeconds, long rssKb) {}

  private LeaderFootprint() {}

  /** {@code externalBrokerPort} 0 means: the embedded broker. */
  public static Sample measure(Path leaderJar, Path dir, int httpPort, int brokerPort, int wsPort, int externalBrokerPort)
      throws IOException, InterruptedException {
    JsonObject config = new JsonObject()
        .put("unit", "benchleader")
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", httpPort))
        .put("database", new JsonObject().put("path", dir.resolve("pio.sqlite").toString()));
    if (externalBrokerPort > 0) {
      config.put("mqtt", new JsonObject().put("host", "127.0.0.1").put("port", externalBrokerPort));
    } else {
      config.put("broker", new JsonObject().put("host", "127.0.0.1").put("port", brokerPort).put("ws_port", wsPort));
    }
    Path configFile = dir.resolve("leader.json");
    Files.writeString(configFile, config.encodePrettily());
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(JVM_FLAGS);
    cmd.addAll(List.of("-jar", leaderJar.toString(), "--config", configFile.toString()));
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("leader.log").toFile()).start();
    try {
      waitForHealth(httpPort, p);
      double start = (System.nanoTime() - t0) / 1e9;
      Thread.sleep(3000); // idle a moment so start-up garbage settles before reading RSS
      return new Sample(start, rssKb(p.pid()));
    } finally {
      p.destroy();
      p.waitFor();
    }
  }

  private static void waitForHealth(int port, Process p) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/health")).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("the leader exited during start-up");
      }
      try {
        if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("the leader did not answer within 60 s");
  }

  static long rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }
}
