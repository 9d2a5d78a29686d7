package io.pioreactor.bench;

import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.testing.MosquittoBroker;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Fan-out from the real leader to many simulated workers ({@link SimulatedWorker}), all in the inventory and in
 * one experiment: a broadcast run of {@code stirring} until every worker's job reads {@code ready} on the broker,
 * and a broadcast reboot until every worker has received the command (and until the leader's HTTP answer, which
 * waits for every reply). Floor: a bare QoS 1 round trip through the same broker.
 */
final class FanOutBench {
  private static final String EXPERIMENT = "fanout";

  record Result(int workers, Percentiles run, Percentiles rebootReceived, Percentiles rebootAnswered, Percentiles floor) {}

  private FanOutBench() {}

  static Result measure(Vertx vertx, Path repo, int workers, int rounds) throws Exception {
    Path dir = Files.createTempDirectory("bench-fanout");
    try (MosquittoBroker broker = MosquittoBroker.start();
         LeaderProcess leader = LeaderProcess.start(repo, dir, broker.port());
         SimulatedWorkers fleet = SimulatedWorkers.connect(vertx, broker.port(), "fanout", workers)) {
      leader.send("POST", "/api/experiments", new JsonObject().put("experiment", EXPERIMENT), 201);
      leader.addWorkers(fleet.units(), EXPERIMENT);
      Map<String, String> states = new ConcurrentHashMap<>();
      MqttClient observer = MqttClient.create(vertx, new MqttClientOptions().setClientId("bench-fanout-" + System.nanoTime())
          .setMaxInflightQueue(10_000));
      observer.publishHandler(m -> states.put(m.topicName(), m.payload().toString()));
      observer.connect(broker.port(), "127.0.0.1").await();
      observer.subscribe(Topics.jobState("+", EXPERIMENT, Jobs.STIRRING), 1).await();
      List<String> stirring = fleet.units().stream().map(u -> Topics.jobState(u, EXPERIMENT, Jobs.STIRRING)).toList();

      List<Long> run = new ArrayList<>();
      for (int r = 0; r < rounds + 1; r++) { // the first round warms up
        long t0 = System.nanoTime();
        leader.send("POST", "/api/workers/" + Topics.BROADCAST + "/jobs/run/job_name/" + Jobs.STIRRING + "/experiments/" + EXPERIMENT,
            new JsonObject(), 200);
        await("stirring ready on every worker", () -> stirring.stream().allMatch(t -> "ready".equals(states.get(t))));
        if (r > 0) {
          run.add(System.nanoTime() - t0);
        }
        leader.send("POST", "/api/workers/" + Topics.BROADCAST + "/jobs/stop/job_name/" + Jobs.STIRRING + "/experiments/" + EXPERIMENT,
            new JsonObject(), 200);
        await("stirring stopped on every worker", () -> stirring.stream().allMatch(t -> "disconnected".equals(states.get(t))));
      }
      observer.disconnect().await();

      List<Long> received = new ArrayList<>();
      List<Long> answered = new ArrayList<>();
      for (int r = 0; r < rounds + 1; r++) {
        fleet.all().forEach(SimulatedWorker::forgetReboot);
        long t0 = System.nanoTime();
        String body = leader.send("POST", "/api/units/" + Topics.BROADCAST + "/system/reboot", new JsonObject(), 202);
        long answer = System.nanoTime() - t0;
        if (!new JsonObject(body).getJsonArray("no_answer").isEmpty()) {
          throw new IllegalStateException("some workers did not answer the reboot: " + body);
        }
        long last = fleet.all().stream().mapToLong(SimulatedWorker::rebootReceivedNanos).max().orElseThrow();
        if (fleet.all().stream().anyMatch(w -> w.rebootReceivedNanos() == 0)) {
          throw new IllegalStateException("the leader answered before every worker had the reboot");
        }
        if (r > 0) {
          received.add(last - t0);
          answered.add(answer);
        }
      }
      Percentiles floor = MqttRoundTrip.measure(vertx, broker.port(), 1, 100, 500);
      return new Result(workers, Percentiles.of(run), Percentiles.of(received), Percentiles.of(answered), floor);
    }
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      Thread.sleep(1);
    }
  }
}
