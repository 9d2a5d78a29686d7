package io.pioreactor.bench;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.testing.TestCredentials;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Months of a lab, squeezed: the leader as installed (embedded broker, credentials, the unit's JVM flags) and two real
 * workers under ordinary churn: a new experiment every {@code churn} (assign both, stirring and OD on both, a setting
 * changed, everything stopped), identify every 5 s, one worker SIGKILLed and started again every 2 minutes. Every
 * {@code sampleEvery} the leader's heap after a full GC, its RSS, threads and open files, and the number of topics the
 * broker retains are sampled; each one's slope per 10 minutes (least squares over the second half, after warm-up) says
 * whether anything grows with time.
 */
final class SoakBench {
  record Sample(double minutes, long heapKb, long rssKb, int threads, int fds, int retained) {}

  record Result(Duration length, int experiments, List<Sample> samples) {
    /** Slope per 10 minutes of one measure over the second half of the run. */
    double slopePer10Min(java.util.function.ToDoubleFunction<Sample> f) {
      List<Sample> half = samples.subList(samples.size() / 2, samples.size());
      double n = half.size();
      double mx = half.stream().mapToDouble(Sample::minutes).sum() / n;
      double my = half.stream().mapToDouble(f).sum() / n;
      double num = 0;
      double den = 0;
      for (Sample s : half) {
        num += (s.minutes() - mx) * (f.applyAsDouble(s) - my);
        den += (s.minutes() - mx) * (s.minutes() - mx);
      }
      return den == 0 ? 0 : num / den * 10;
    }
  }

  private SoakBench() {}

  static Result measure(Vertx vertx, Path repo, Duration length, Duration churn, Duration sampleEvery) throws Exception {
    Path dir = Files.createTempDirectory("bench-soak");
    List<WorkerProcess> workers = new ArrayList<>(List.of());
    try (LeaderProcess leader = LeaderProcess.start(repo, dir, 0)) {
      TestCredentials credentials = leader.credentials();
      List<String> units = List.of("soak1", "soak2");
      for (String u : units) {
        workers.add(WorkerProcess.start(repo, dir, u, leader.brokerPort(), credentials.password(u)));
      }
      awaitReady(leader, units);
      leader.addWorkers(units, null);
      MqttClientOptions o = new MqttClientOptions().setClientId("soak-tool");
      o.setUsername(TestCredentials.LEADER_USER).setPassword(credentials.password(TestCredentials.LEADER_USER));
      MqttClient tool = MqttClient.create(vertx, o);
      tool.connect(leader.brokerPort(), "127.0.0.1").await();

      List<Sample> samples = new ArrayList<>();
      AtomicInteger experiments = new AtomicInteger();
      long t0 = System.nanoTime();
      long nextSample = 0;
      long nextChurn = 0;
      long nextBlink = 0;
      long nextKill = Duration.ofMinutes(2).toNanos();
      while (System.nanoTime() - t0 < length.toNanos()) {
        long now = System.nanoTime() - t0;
        if (now >= nextChurn) {
          churn(leader, tool, units, "soak-" + experiments.incrementAndGet());
          nextChurn = now + churn.toNanos();
        }
        if (now >= nextBlink) {
          leader.sendAsync("POST", "/api/workers/soak1/blink", new JsonObject(), 202).exceptionally(e -> null);
          nextBlink = now + Duration.ofSeconds(5).toNanos();
        }
        if (now >= nextKill) {
          workers.get(1).kill();
          workers.set(1, WorkerProcess.start(repo, dir, "soak2", leader.brokerPort(), credentials.password("soak2")));
          awaitReady(leader, List.of("soak2"));
          nextKill = now + Duration.ofMinutes(2).toNanos();
        }
        if (now >= nextSample) {
          samples.add(sample(vertx, leader, credentials, (System.nanoTime() - t0) / 60e9));
          nextSample = now + sampleEvery.toNanos();
        }
        Thread.sleep(200);
      }
      samples.add(sample(vertx, leader, credentials, (System.nanoTime() - t0) / 60e9));
      tool.disconnect().otherwiseEmpty().await();
      return new Result(length, experiments.get(), samples);
    } finally {
      for (WorkerProcess w : workers) {
        w.close();
      }
    }
  }

  /** One experiment's life: created, both workers assigned, stirring and OD on both, a setting changed, all stopped. */
  private static void churn(LeaderProcess leader, MqttClient tool, List<String> units, String experiment) throws Exception {
    leader.send("POST", "/api/experiments", new JsonObject().put("experiment", experiment), 201);
    for (String u : units) {
      leader.send("PUT", "/api/experiments/" + experiment + "/workers", new JsonObject().put("pioreactor_unit", u), 200);
    }
    for (String u : units) {
      for (String job : List.of(Jobs.STIRRING, Jobs.OD_READING)) {
        // A worker just killed and not yet back says 504; a soak goes on.
        leader.sendAsync("POST", "/api/workers/" + u + "/jobs/run/job_name/" + job + "/experiments/" + experiment,
            new JsonObject(), 200).exceptionally(e -> null).join();
      }
      tool.publish(Topics.set(u, experiment, Jobs.STIRRING, "target_rpm"), Buffer.buffer("350"), MqttQoS.AT_LEAST_ONCE, false, false);
    }
    Thread.sleep(500);
    for (String u : units) {
      leader.sendAsync("POST", "/api/workers/" + u + "/jobs/stop/experiments/" + experiment, new JsonObject(), 200)
          .exceptionally(e -> null).join();
    }
  }

  private static void awaitReady(LeaderProcess leader, List<String> units) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      String body = leader.get("/api/units");
      if (units.stream().allMatch(u -> body.contains("\"pioreactor_unit\":\"" + u + "\"") && readyIn(body, u))) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(units + " did not become ready");
  }

  private static boolean readyIn(String unitsJson, String unit) {
    for (Object o : new JsonArray(unitsJson)) {
      JsonObject u = (JsonObject) o;
      if (unit.equals(u.getString("pioreactor_unit"))) {
        return "ready".equals(u.getString("state"));
      }
    }
    return false;
  }

  private static Sample sample(Vertx vertx, LeaderProcess leader, TestCredentials credentials, double minutes) throws Exception {
    long pid = leader.pid();
    return new Sample(minutes, heapAfterGcKb(pid), ProcStats.rssKb(pid), threads(pid), fds(pid),
        retainedTopics(vertx, leader.brokerPort(), credentials));
  }

  /** {@code jcmd <pid> GC.run}, then the used heap of every generation ({@code GC.heap_info}), in kB. */
  static long heapAfterGcKb(long pid) throws IOException, InterruptedException {
    String jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd").toString();
    run(jcmd, String.valueOf(pid), "GC.run");
    String info = run(jcmd, String.valueOf(pid), "GC.heap_info");
    Matcher m = Pattern.compile("(?:generation|space)\\s+total \\d+K, used (\\d+)K").matcher(info);
    long used = 0;
    while (m.find()) {
      used += Long.parseLong(m.group(1));
    }
    return used;
  }

  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }

  private static int threads(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("Threads:")) {
        return Integer.parseInt(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  private static int fds(long pid) throws IOException {
    try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      return (int) s.count();
    }
  }

  /** What the broker retains under pioreactor/#: a fresh subscriber counts the retained messages replayed to it. */
  static int retainedTopics(Vertx vertx, int port, TestCredentials credentials) throws Exception {
    MqttClientOptions o = new MqttClientOptions().setClientId("soak-count-" + System.nanoTime()).setMaxMessageSize(1 << 20);
    o.setUsername(TestCredentials.WEB_USER).setPassword(credentials.password(TestCredentials.WEB_USER));
    MqttClient c = MqttClient.create(vertx, o);
    java.util.Set<String> topics = java.util.concurrent.ConcurrentHashMap.newKeySet();
    c.publishHandler(m -> {
      if (m.isRetain() && m.payload().length() > 0) {
        topics.add(m.topicName());
      }
    });
    c.connect(port, "127.0.0.1").await();
    c.subscribe(Topics.everything(), 1).await();
    Thread.sleep(1_500);
    c.disconnect().otherwiseEmpty().await();
    return topics.size();
  }
}
