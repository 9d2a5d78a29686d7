package io.pioreactor.bench;

import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.testing.FreePorts;
import io.pioreactor.protocol.testing.MosquittoBroker;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * A real cluster as processes (leader and worker jars, mosquitto between them), driven through the REST API and
 * timed by an MQTT observer: deactivating a worker until all its jobs are {@code disconnected}, and a broadcast
 * start until every worker's job is {@code ready}. The floor is a bare QoS 1 round trip through the same broker.
 */
final class ClusterBench {
  static final String EXPERIMENT = "bench";
  /** Every job a worker runs, pumps set to run for an hour so they are still running when the worker is deactivated. */
  static final Map<String, JsonObject> ALL_JOBS = Map.of(
      Jobs.STIRRING, new JsonObject(), Jobs.OD_READING, new JsonObject().put("interval", 1),
      Jobs.LED_INTENSITY, new JsonObject().put("A", 10), Jobs.ADD_MEDIA, new JsonObject().put("duration", 3600),
      Jobs.REMOVE_WASTE, new JsonObject().put("duration", 3600), Jobs.ADD_ALT_MEDIA, new JsonObject().put("duration", 3600),
      Jobs.TEMPERATURE_AUTOMATION, new JsonObject().put("interval", 1), Jobs.DOSING_AUTOMATION, new JsonObject().put("duration", 60),
      Jobs.LED_AUTOMATION, new JsonObject(), Jobs.GROWTH_RATE_CALCULATING, new JsonObject());

  record Result(Percentiles deactivate, int jobs, Percentiles broadcast, int workers, Percentiles floor) {}

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Process> processes = new ArrayList<>();
  private final Map<String, String> states = new ConcurrentHashMap<>();
  private int httpPort;

  static Result measure(Vertx vertx, Path repo, int workers, int rounds) throws Exception {
    ClusterBench b = new ClusterBench();
    try (MosquittoBroker broker = MosquittoBroker.start()) {
      return b.run(vertx, repo, broker.port(), workers, rounds);
    } finally {
      b.processes.forEach(Process::destroy);
      for (Process p : b.processes) {
        p.waitFor();
      }
    }
  }

  private Result run(Vertx vertx, Path repo, int brokerPort, int workers, int rounds) throws Exception {
    Path dir = Files.createTempDirectory("bench-cluster");
    httpPort = FreePorts.next();
    start(repo.resolve("leader-daemon/target/leader-daemon.jar"), dir, "leader", new JsonObject().put("unit", "benchleader")
        .put("leader_is_worker", false).put("http", new JsonObject().put("host", "127.0.0.1").put("port", httpPort))
        .put("database", new JsonObject().put("path", dir.resolve("pio.sqlite").toString()))
        .put("mqtt", new JsonObject().put("host", "127.0.0.1").put("port", brokerPort)), "-Xmx256m");
    await("the leader", Duration.ofSeconds(60), () -> get("/api/health").contains("\"mqtt_connected\":true"));

    MqttClient observer = MqttClient.create(vertx, new MqttClientOptions().setClientId("bench-observer-" + System.nanoTime()));
    observer.publishHandler(m -> states.put(m.topicName(), m.payload().toString()));
    observer.connect(brokerPort, "127.0.0.1").await();
    observer.subscribe(Topics.job("+", "+", "+", Topics.STATE), 1).await();

    List<String> units = new ArrayList<>();
    for (int i = 1; i <= workers; i++) {
      String u = "bench" + i;
      units.add(u);
      start(repo.resolve("worker-daemon/target/worker-daemon.jar"), dir, u, new JsonObject().put("unit", u)
          .put("mqtt", new JsonObject().put("host", "127.0.0.1").put("port", brokerPort))
          .put("hardware", new JsonObject().put("platform", "mock"))
          .put("reboot_command", new io.vertx.core.json.JsonArray().add("true"))
          .put("shutdown_command", new io.vertx.core.json.JsonArray().add("true"))
          .put("state_dir", dir.resolve("state").toString()), "-Xmx64m");
    }
    for (String u : units) {
      await(u + " ready", Duration.ofSeconds(60), () -> "ready".equals(states.get(Topics.monitorState(u))));
      send("POST", "/api/workers/setup", new JsonObject().put("name", u), 200);
    }
    send("POST", "/api/experiments", new JsonObject().put("experiment", EXPERIMENT), 201);
    for (String u : units) {
      send("PUT", "/api/experiments/" + EXPERIMENT + "/workers", new JsonObject().put("pioreactor_unit", u), 200);
    }

    // 1. is_active=0 → every job of that worker disconnected
    String w = units.get(0);
    List<Long> deactivate = new ArrayList<>();
    for (int r = 0; r < rounds + 1; r++) {
      for (var job : ALL_JOBS.entrySet()) {
        send("POST", "/api/workers/" + w + "/jobs/run/job_name/" + job.getKey() + "/experiments/" + EXPERIMENT,
            new JsonObject().put("options", job.getValue()), 200);
      }
      long t0 = System.nanoTime();
      send("PUT", "/api/workers/" + w + "/is_active", new JsonObject().put("is_active", 0), 200);
      await("all jobs of " + w + " disconnected", Duration.ofSeconds(30), () -> ALL_JOBS.keySet().stream()
          .allMatch(j -> "disconnected".equals(states.get(Topics.jobState(w, EXPERIMENT, j)))));
      if (r > 0) { // the first round warms up
        deactivate.add(System.nanoTime() - t0);
      }
      send("PUT", "/api/workers/" + w + "/is_active", new JsonObject().put("is_active", 1), 200);
    }

    // 2. broadcast run of stirring → ready on every worker
    List<Long> broadcast = new ArrayList<>();
    for (int r = 0; r < rounds + 1; r++) {
      long t0 = System.nanoTime();
      send("POST", "/api/workers/$broadcast/jobs/run/job_name/stirring/experiments/" + EXPERIMENT, new JsonObject(), 200);
      await("stirring ready everywhere", Duration.ofSeconds(30), () -> units.stream()
          .allMatch(u -> "ready".equals(states.get(Topics.jobState(u, EXPERIMENT, Jobs.STIRRING)))));
      if (r > 0) {
        broadcast.add(System.nanoTime() - t0);
      }
      send("POST", "/api/workers/$broadcast/jobs/stop/job_name/stirring/experiments/" + EXPERIMENT, new JsonObject(), 200);
      await("stirring stopped everywhere", Duration.ofSeconds(30), () -> units.stream()
          .allMatch(u -> "disconnected".equals(states.get(Topics.jobState(u, EXPERIMENT, Jobs.STIRRING)))));
    }
    observer.disconnect().await();
    Percentiles floor = MqttRoundTrip.measure(vertx, brokerPort, 1, 100, Math.max(200, rounds * 20));
    return new Result(Percentiles.of(deactivate), ALL_JOBS.size(), Percentiles.of(broadcast), workers, floor);
  }

  private void start(Path jar, Path dir, String name, JsonObject config, String heap) throws IOException {
    Path file = dir.resolve(name + ".json");
    Files.writeString(file, config.encodePrettily());
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-XX:+UseSerialGC", heap, "-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "--config", file.toString()));
    processes.add(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start());
  }

  private String get(String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException | InterruptedException e) {
      return "";
    }
  }

  private void send(String method, String path, JsonObject body, int expected) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path.replace("$", "%24")))
        .method(method, HttpRequest.BodyPublishers.ofString(body.encode())).header("content-type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != expected) {
      throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
    }
  }

  private static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(1);
    }
  }
}
