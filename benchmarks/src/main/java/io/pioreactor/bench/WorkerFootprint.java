package io.pioreactor.bench;

import io.pioreactor.protocol.JobState;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.testing.MosquittoBroker;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The worker daemon as its systemd unit runs it (the unit's JVM flags, pi4j's mock platform here): time from
 * process start to its monitor {@code $state} {@code ready} on the broker, and its RSS once idle. Floor: a JVM with
 * the same flags that does nothing ({@link IdleJvm}), from start to its first line, and its RSS.
 */
final class WorkerFootprint {
  record Sample(double startSeconds, long rssKb) {}

  record Result(Sample worker, Sample floor, List<String> flags, int starts) {}

  private static final long SETTLE_MS = 3_000;

  private WorkerFootprint() {}

  static Result measure(Vertx vertx, Path repo, int starts) throws Exception {
    List<Sample> worker = new ArrayList<>();
    List<Sample> floor = new ArrayList<>();
    try (MosquittoBroker broker = MosquittoBroker.start()) {
      LinkedBlockingQueue<String> ready = new LinkedBlockingQueue<>();
      MqttClient observer = MqttClient.create(vertx, new MqttClientOptions().setClientId("bench-worker-fp-" + System.nanoTime()));
      observer.publishHandler(m -> {
        if (JobState.READY.wire().equals(m.payload().toString())) {
          ready.add(m.topicName());
        }
      });
      observer.connect(broker.port(), "127.0.0.1").await();
      for (int i = 0; i < starts; i++) {
        String unit = "footprint" + i;
        observer.subscribe(Topics.monitorState(unit), 1).await();
        Path dir = Files.createTempDirectory("bench-worker");
        long t0 = System.nanoTime();
        try (WorkerProcess w = WorkerProcess.start(repo, dir, unit, broker.port())) {
          if (ready.poll(60, TimeUnit.SECONDS) == null) {
            throw new IllegalStateException(unit + " did not become ready (see " + dir + ")");
          }
          double seconds = (System.nanoTime() - t0) / 1e9;
          Thread.sleep(SETTLE_MS); // idle a moment so start-up garbage settles before reading RSS
          worker.add(new Sample(seconds, ProcStats.rssKb(w.pid())));
        }
        floor.add(idleJvm(repo));
      }
      observer.disconnect().await();
    }
    return new Result(median(worker), median(floor), WorkerProcess.systemdFlags(repo), starts);
  }

  private static Sample idleJvm(Path repo) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(WorkerProcess.systemdFlags(repo));
    cmd.addAll(List.of("-cp", repo.resolve("benchmarks/target/classes").toString(), IdleJvm.class.getName()));
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      new BufferedReader(new InputStreamReader(p.getInputStream())).readLine();
      double seconds = (System.nanoTime() - t0) / 1e9;
      Thread.sleep(SETTLE_MS);
      return new Sample(seconds, ProcStats.rssKb(p.pid()));
    } finally {
      p.destroy();
      p.waitFor();
    }
  }

  private static Sample median(List<Sample> xs) {
    List<Double> s = xs.stream().map(Sample::startSeconds).sorted().toList();
    List<Long> r = xs.stream().map(Sample::rssKb).sorted().toList();
    return new Sample(s.get(s.size() / 2), r.get(r.size() / 2));
  }
}
