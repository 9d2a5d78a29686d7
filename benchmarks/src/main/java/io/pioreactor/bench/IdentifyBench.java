package io.pioreactor.bench;

import io.pioreactor.protocol.LogMessage;
import io.pioreactor.protocol.Topic;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.testing.MosquittoBroker;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Identify: {@code POST /api/workers/<u>/blink} → the first edge of that worker's HAT LED. One real worker daemon
 * (pi4j mock platform) is measured; the first edge's time is the timestamp of its {@code identify} log line, which
 * the worker stamps right after raising the LED. Both clocks are this machine's wall clock. Measured with the real
 * worker alone, then with simulated workers connected beside it (and in the inventory). Floor: a bare QoS 1 round
 * trip through the same broker (mosquitto, as installed on a leader).
 */
final class IdentifyBench {
  /** The blink pattern lasts 3.48 s (4 × 870 ms) and a request during it is ignored: wait it out between rounds. */
  private static final long PATTERN_MS = 3_600;
  private static final String REAL = "identify1";

  record Result(Percentiles alone, Percentiles crowded, int crowdedWorkers, Percentiles floor) {}

  private IdentifyBench() {}

  static Result measure(Vertx vertx, Path repo, int workers, int rounds) throws Exception {
    Path dir = Files.createTempDirectory("bench-identify");
    try (MosquittoBroker broker = MosquittoBroker.start();
         LeaderProcess leader = LeaderProcess.start(repo, dir, broker.port());
         WorkerProcess worker = WorkerProcess.start(repo, dir, REAL, broker.port())) {
      LinkedBlockingQueue<Instant> edges = new LinkedBlockingQueue<>();
      LinkedBlockingQueue<String> ready = new LinkedBlockingQueue<>();
      MqttClient observer = MqttClient.create(vertx, new MqttClientOptions().setClientId("bench-identify-" + System.nanoTime()));
      observer.publishHandler(m -> {
        Topic t = Topic.parse(m.topicName()).orElse(null);
        if (t == null || !REAL.equals(t.unit())) {
          return;
        }
        if (t.isLog()) {
          LogMessage line = LogMessage.fromBuffer(m.payload());
          if (line.message().startsWith("identify")) {
            edges.add(Instant.parse(line.timestamp()));
          }
        } else if (t.isMonitor() && "ready".equals(m.payload().toString())) {
          ready.add(t.unit());
        }
      });
      observer.connect(broker.port(), "127.0.0.1").await();
      observer.subscribe(java.util.Map.of(Topics.allLogs(), 1, Topics.monitorState(REAL), 1)).await();
      if (ready.poll(60, TimeUnit.SECONDS) == null) {
        throw new IllegalStateException(REAL + " did not become ready (see its log in " + dir + ")");
      }
      leader.addWorkers(List.of(REAL), null);
      Percentiles alone = rounds(leader, edges, rounds);
      Percentiles crowded;
      try (SimulatedWorkers others = SimulatedWorkers.connect(vertx, broker.port(), "identifysim", workers - 1)) {
        leader.addWorkers(others.units(), null);
        crowded = rounds(leader, edges, rounds);
      }
      observer.disconnect().await();
      Percentiles floor = MqttRoundTrip.measure(vertx, broker.port(), 1, 100, 500);
      return new Result(alone, crowded, workers, floor);
    }
  }

  private static Percentiles rounds(LeaderProcess leader, LinkedBlockingQueue<Instant> edges, int rounds) throws Exception {
    List<Long> nanos = new ArrayList<>();
    // The first rounds warm up three JVMs (bench, leader, worker: the last two on C1 only, as their units run them).
    int warmup = 1 + rounds / 10;
    for (int r = 0; r < rounds + warmup; r++) {
      edges.clear();
      Instant t0 = Instant.now();
      leader.send("POST", "/api/workers/" + REAL + "/blink", new JsonObject(), 202);
      Instant edge = edges.poll(10, TimeUnit.SECONDS);
      if (edge == null) {
        throw new IllegalStateException("the LED of " + REAL + " did not flash within 10 s");
      }
      if (r >= warmup) {
        nanos.add(Duration.between(t0, edge).toNanos());
      }
      Thread.sleep(PATTERN_MS);
    }
    return Percentiles.of(nanos);
  }
}
