package io.pioreactor.bench;

import io.pioreactor.protocol.testing.FreePorts;
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
import java.util.concurrent.CompletableFuture;

/**
 * The leader's jar as a process with the systemd unit's JVM flags, and its REST API. No {@code http.auth} in the
 * config unless a part asks for it ({@link #start(Path, Path, int, JsonObject)}: the shipped config has it), so the API
 * is open and the bench calls it without signing in; with it, the bench's calls carry HTTP Basic. With the embedded
 * broker, its credentials as installed: a password file (units get theirs from {@link #credentials()}).
 */
final class LeaderProcess implements AutoCloseable {
  private final Process process;
  private final int httpPort;
  private final int brokerPort;
  private final HttpClient http = HttpClient.newHttpClient();
  private final io.pioreactor.protocol.testing.TestCredentials credentials;
  private final Path database;
  /** The {@code Authorization} header of the bench's calls (null: the API is open). */
  private final String basic;

  private LeaderProcess(Process process, int httpPort, int brokerPort, io.pioreactor.protocol.testing.TestCredentials credentials,
                        Path database, JsonObject auth) {
    this.process = process;
    this.basic = auth == null ? null : "Basic " + java.util.Base64.getEncoder().encodeToString(
        (auth.getString("username") + ":" + auth.getString("password")).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    this.database = database;
    this.httpPort = httpPort;
    this.brokerPort = brokerPort;
    this.credentials = credentials;
  }

  /** The embedded broker's credentials (null with an external broker, which the bench runs open). */
  io.pioreactor.protocol.testing.TestCredentials credentials() {
    return credentials;
  }

  /** {@code externalBrokerPort} 0: the leader embeds its broker (the default install without mosquitto). */
  static LeaderProcess start(Path repo, Path dir, int externalBrokerPort) throws IOException, InterruptedException {
    return start(repo, dir, externalBrokerPort, null);
  }

  /** {@code auth}: the config's {@code http.auth} ({@code {username, password}}), as shipped; null: the API is open. */
  static LeaderProcess start(Path repo, Path dir, int externalBrokerPort, JsonObject auth) throws IOException, InterruptedException {
    int httpPort = FreePorts.next();
    JsonObject http = new JsonObject().put("host", "127.0.0.1").put("port", httpPort);
    if (auth != null) {
      http.put("auth", auth.copy());
    }
    JsonObject config = new JsonObject().put("unit", "benchleader").put("leader_is_worker", false)
        .put("http", http)
        .put("database", new JsonObject().put("path", dir.resolve("pio.sqlite").toString()));
    int brokerPort = externalBrokerPort;
    io.pioreactor.protocol.testing.TestCredentials credentials = null;
    if (externalBrokerPort > 0) {
      config.put("mqtt", new JsonObject().put("host", "127.0.0.1").put("port", externalBrokerPort));
    } else {
      brokerPort = FreePorts.next();
      credentials = new io.pioreactor.protocol.testing.TestCredentials(dir.resolve("broker.passwd"));
      config.put("broker", new JsonObject().put("host", "127.0.0.1").put("port", brokerPort).put("ws_port", FreePorts.next())
          .put("password_file", credentials.file.toString()));
    }
    Path file = dir.resolve("leader.json");
    Files.writeString(file, config.encodePrettily());
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(LeaderFootprint.JVM_FLAGS);
    // BENCH_LEADER_JVM_FLAGS="-XX:StartFlightRecording=filename=/tmp/leader.jfr": to profile the leader under a part.
    String extra = System.getenv("BENCH_LEADER_JVM_FLAGS");
    if (extra != null && !extra.isBlank()) {
      cmd.addAll(List.of(extra.trim().split("\\s+")));
    }
    cmd.addAll(List.of("-jar", repo.resolve("leader-daemon/target/leader-daemon.jar").toString(), "--config", file.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("leader.log").toFile()).start();
    LeaderProcess leader = new LeaderProcess(p, httpPort, brokerPort, credentials, dir.resolve("pio.sqlite"), auth);
    leader.awaitHealthy();
    return leader;
  }

  private void awaitHealthy() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!get("/api/health").contains("\"mqtt_connected\":true")) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("the leader did not become healthy (see its leader.log)");
      }
      Thread.sleep(20);
    }
  }

  /** The leader's SQLite file (WAL: a second connection may read it, or write with care, while the leader runs). */
  Path database() {
    return database;
  }

  long pid() {
    return process.pid();
  }

  /** Where workers connect: the external broker, or the leader's embedded one. */
  int brokerPort() {
    return brokerPort;
  }

  String get(String path) {
    try {
      return http.send(request(path).build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** A read over the one kept-alive connection, as a page that polls would make it. */
  HttpResponse<String> fetch(String path) throws IOException, InterruptedException {
    return http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path.replace("$", "%24"))));
    return basic == null ? b : b.header("Authorization", basic);
  }

  /** The leader's address for {@code path} (a browser's, say). */
  String url(String path) {
    return "http://127.0.0.1:" + httpPort + path;
  }

  /** A write; anything but {@code expected} is a broken bench, not a figure. */
  String send(String method, String path, JsonObject body, int expected) throws IOException, InterruptedException {
    return check(method, path, expected, http.send(write(method, path, body), HttpResponse.BodyHandlers.ofString()));
  }

  CompletableFuture<String> sendAsync(String method, String path, JsonObject body, int expected) {
    return http.sendAsync(write(method, path, body), HttpResponse.BodyHandlers.ofString())
        .thenApply(r -> check(method, path, expected, r));
  }

  private HttpRequest write(String method, String path, JsonObject body) {
    return request(path).method(method, HttpRequest.BodyPublishers.ofString(body.encode()))
        .header("content-type", "application/json").build();
  }

  private static String check(String method, String path, int expected, HttpResponse<String> r) {
    if (r.statusCode() != expected) {
      throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  /**
   * Puts units in the inventory through {@code PUT /api/workers} (upstream's direct insert, no handshake: the add
   * flow is not what these benches measure), a few requests in flight at a time, and assigns them to {@code experiment}
   * when it is not null.
   */
  void addWorkers(List<String> units, String experiment) {
    int inFlight = 8;
    for (int i = 0; i < units.size(); i += inFlight) {
      List<CompletableFuture<String>> batch = new ArrayList<>();
      for (String u : units.subList(i, Math.min(units.size(), i + inFlight))) {
        batch.add(sendAsync("PUT", "/api/workers", new JsonObject().put("pioreactor_unit", u), 201)
            .thenCompose(b -> experiment == null ? CompletableFuture.completedFuture(b)
                : sendAsync("PUT", "/api/experiments/" + experiment + "/workers", new JsonObject().put("pioreactor_unit", u), 200)));
      }
      CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).join();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }
}
