package io.pioreactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Membership;
import io.pioreactor.protocol.Topics;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a lab's power blips and crashes do: the broker restarted, the leader killed mid-write, the leader's disk
 * full. Separate processes and real brokers throughout; the faults are real too (SIGKILL, a full filesystem).
 */
class FaultsTest {
  /** The bound for every daemon to be back on a restarted broker, by itself. */
  private static final Duration RECONNECT_BOUND = Duration.ofSeconds(5);
  private static final Duration SOON = Duration.ofSeconds(10);

  @TempDir
  Path dir;

  private static String run(String unit, String experiment, String job) {
    return "/api/workers/" + unit + "/jobs/run/job_name/" + job + "/experiments/" + experiment;
  }

  /** Settings are published as JSON numbers ("777" or "777.0"): compare the number. */
  private static boolean numberIs(String payload, double expected) {
    try {
      return payload != null && Double.parseDouble(payload) == expected;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static Membership membership(Cluster c, String unit) {
    String m = c.retained.get(Topics.assignment(unit));
    return m == null ? null : Membership.fromBuffer(Buffer.buffer(m));
  }

  /** Waits for {@code condition} and says how long after {@code since} (nanoTime) it held. */
  private static Duration awaitSince(long since, String what, Supplier<Boolean> condition, DaemonProcess... watch) {
    Cluster.awaitTrue(what, SOON, condition, watch);
    return Duration.ofNanos(System.nanoTime() - since);
  }

  /** A leader, w1 and w2 in e1, both stirring, w1 set to {@code rpm} over MQTT. */
  private static void stirringOnTwoWorkers(Cluster c, int rpm) throws Exception {
    c.startLeader(false);
    c.startWorker("w1");
    c.startWorker("w2");
    c.addAndAssign("e1", "w1", "w2");
    for (String w : List.of("w1", "w2")) {
      assertThat(c.http.send("POST", run(w, "e1", Jobs.STIRRING), "{}").status()).isEqualTo(200);
    }
    c.publish(Topics.set("w1", "e1", Jobs.STIRRING, "target_rpm"), String.valueOf(rpm));
    Cluster.awaitTrue("stirring on both, w1 at " + rpm + " rpm", SOON, () ->
        "ready".equals(c.retained.get(Topics.jobState("w1", "e1", Jobs.STIRRING)))
            && "ready".equals(c.retained.get(Topics.jobState("w2", "e1", Jobs.STIRRING)))
            && numberIs(c.retained.get(Topics.job("w1", "e1", Jobs.STIRRING, "target_rpm")), rpm));
  }

  @Test
  @DisplayName("mosquitto restarted: every daemon is back within 5 s, retained state is republished, and a change acknowledged during the outage is carried out")
  void mosquittoRestart() throws Exception {
    try (Cluster c = new Cluster(dir, false)) {
      stirringOnTwoWorkers(c, 777);

      c.mosquitto().stop();
      Cluster.awaitTrue("the leader notices", SOON, () -> c.http.get("/api/health").body().contains("\"mqtt_connected\":false"));
      // Acknowledged while the broker is down: stored, and owed to w2 as soon as it can hear it.
      assertThat(c.http.send("PUT", "/api/workers/w2/is_active", "{\"is_active\": 0}").status()).isEqualTo(200);
      // A command cannot be delivered now: it must be refused, not acknowledged and dropped.
      Http.Response led = c.http.send("POST", run("w1", "e1", Jobs.LED_INTENSITY), "{\"options\": {\"A\": 10}}");
      assertThat(led.status()).as(led.body()).isGreaterThanOrEqualTo(500);
      Thread.sleep(3000); // long enough for every client's back-off to grow

      c.mosquitto().startAgain();
      long up = System.nanoTime();
      c.watchAgain(); // persistence is off, as upstream's: whatever is retained now was published again
      List<Duration> took = new ArrayList<>();
      took.add(awaitSince(up, "the leader back", () -> c.http.get("/api/health").body().contains("\"mqtt_connected\":true")));
      for (String w : List.of("w1", "w2")) {
        took.add(awaitSince(up, w + " back and ready", () -> "ready".equals(c.retained.get(Topics.monitorState(w))), c.daemon(w)));
      }
      took.add(awaitSince(up, "memberships republished, w2's as inactive", () -> membership(c, "w1") != null
          && membership(c, "w1").isActive() && membership(c, "w2") != null && !membership(c, "w2").isActive()));
      took.add(awaitSince(up, "w1's job state and setting republished", () ->
          "ready".equals(c.retained.get(Topics.jobState("w1", "e1", Jobs.STIRRING)))
              && numberIs(c.retained.get(Topics.job("w1", "e1", Jobs.STIRRING, "target_rpm")), 777), c.daemon("w1")));
      took.add(awaitSince(up, "w2 carried out the inactive decision", () ->
          "disconnected".equals(c.retained.get(Topics.jobState("w2", "e1", Jobs.STIRRING))), c.daemon("w2")));
      System.out.println("after mosquitto restart, back in (ms): " + took.stream().map(Duration::toMillis).toList());
      assertThat(took).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(RECONNECT_BOUND));
      assertThat(c.retained.get(Topics.jobState("w1", "e1", Jobs.LED_INTENSITY))).isNull();
      // and the cluster works as before
      assertThat(c.http.send("POST", run("w1", "e1", Jobs.LED_INTENSITY), "{\"options\": {\"A\": 10}}").status()).isEqualTo(200);
      Cluster.awaitTrue("a new job runs", SOON, () -> "ready".equals(c.retained.get(Topics.jobState("w1", "e1", Jobs.LED_INTENSITY))));
    }
  }

  @Test
  @DisplayName("the leader with its embedded broker killed and restarted: workers are back within 5 s, keep their jobs, and an acknowledged change made just before is carried out")
  void embeddedBrokerRestart() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      stirringOnTwoWorkers(c, 555);

      assertThat(c.http.send("PUT", "/api/workers/w2/is_active", "{\"is_active\": 0}").status()).isEqualTo(200);
      c.killLeader(); // at once: the worker may or may not have heard it; the database has it
      Thread.sleep(2000);

      AtomicLong brokerUp = new AtomicLong();
      Thread probe = new Thread(() -> {
        while (brokerUp.get() == 0) {
          try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", c.brokerPort), 100);
            brokerUp.set(System.nanoTime());
          } catch (IOException e) {
            try {
              Thread.sleep(10);
            } catch (InterruptedException ie) {
              return;
            }
          }
        }
      });
      probe.start();
      c.restartLeader();
      probe.join(5000);
      long up = brokerUp.get();
      assertThat(up).as("the broker came up").isPositive();
      List<Duration> took = new ArrayList<>();
      for (String w : List.of("w1", "w2")) {
        took.add(awaitSince(up, w + " back and ready", () -> "ready".equals(c.retained.get(Topics.monitorState(w))), c.daemon(w)));
      }
      took.add(awaitSince(up, "w1 still stirring at 555", () -> "ready".equals(c.retained.get(Topics.jobState("w1", "e1", Jobs.STIRRING)))
          && numberIs(c.retained.get(Topics.job("w1", "e1", Jobs.STIRRING, "target_rpm")), 555), c.daemon("w1")));
      took.add(awaitSince(up, "w2 inactive, its stirring stopped", () -> membership(c, "w2") != null && !membership(c, "w2").isActive()
          && "disconnected".equals(c.retained.get(Topics.jobState("w2", "e1", Jobs.STIRRING))), c.daemon("w2")));
      System.out.println("after the leader's broker came back, back in (ms): " + took.stream().map(Duration::toMillis).toList());
      assertThat(took).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(RECONNECT_BOUND));
      // w1's job was never stopped: the worker kept it through the outage
      assertThat(Files.readString(c.dir.resolve("w1/daemon.log"))).doesNotContain("stirring: disconnected");
    }
  }

  /** One worker's place in the inventory as the leader stores it. */
  record WorkerState(boolean active, String experiment) {}

  /** What the database must hold: workers in the inventory and experiments. */
  record Model(Map<String, WorkerState> workers, Set<String> experiments) {
    Model copy() {
      return new Model(new java.util.TreeMap<>(workers), new TreeSet<>(experiments));
    }
  }

  /** A write through the REST API, and what it does to the model when it is acknowledged. */
  record Write(String method, String path, String body, java.util.function.Consumer<Model> effect) {}

  @Test
  @DisplayName("the leader killed with SIGKILL in the middle of adds, removes and assignments: the database is sound, holds exactly what was acknowledged, and the workers' jobs ran on")
  void leaderKilledMidWrites() throws Exception {
    try (Cluster c = new Cluster(dir, false)) {
      c.startLeader(false);
      List<String> units = List.of("w1", "w2", "w3");
      c.startWorker("w0");
      for (String w : units) {
        c.startWorker(w);
      }
      c.addAndAssign("e0", "w0");
      assertThat(c.http.send("POST", run("w0", "e0", Jobs.STIRRING), "{}").status()).isEqualTo(200);
      Cluster.awaitTrue("w0 stirring", SOON, () -> "ready".equals(c.retained.get(Topics.jobState("w0", "e0", Jobs.STIRRING))));
      int seenBefore = c.seen.size();

      Model model = new Model(new java.util.TreeMap<>(), new TreeSet<>(Set.of("e0")));
      Random random = new Random();
      List<Write> acknowledged = new ArrayList<>();
      Write[] inFlight = new Write[1];
      Thread writer = new Thread(() -> {
        int n = 0;
        while (true) {
          Write w = nextWrite(model, units, random, n++);
          inFlight[0] = w;
          Http.Response r = c.http.send(w.method(), w.path(), w.body());
          if (r.status() < 0) {
            return; // the leader is gone: this write may or may not have been stored
          }
          if (r.status() / 100 == 2) {
            w.effect().accept(model);
            acknowledged.add(w);
          } else if (r.status() != 409 && r.status() != 404) {
            throw new AssertionError(w + " -> " + r.status() + " " + r.body());
          }
          inFlight[0] = null;
        }
      });
      writer.start();
      Thread.sleep(1500 + random.nextInt(2000));
      c.killLeader();
      writer.join(10_000);
      assertThat(writer.isAlive()).isFalse();
      assertThat(acknowledged).as("writes acknowledged before the kill").hasSizeGreaterThan(5);

      List<Map<String, Object>> check = c.rows("PRAGMA integrity_check");
      assertThat(check.get(0).values().iterator().next()).isEqualTo("ok");
      c.restartLeader();
      Model stored = storedModel(c);
      Model withInFlight = model.copy();
      if (inFlight[0] != null) {
        inFlight[0].effect().accept(withInFlight);
      }
      assertThat(stored).as("after %d acknowledged writes, in flight: %s", acknowledged.size(), inFlight[0]).isIn(model, withInFlight);

      // w0 was never told to stop, and never stopped: no other state of its job since it was ready
      List<String> w0States = c.seen.subList(seenBefore, c.seen.size()).stream()
          .filter(s -> s.startsWith(Topics.jobState("w0", "e0", Jobs.STIRRING) + " ")).toList();
      assertThat(w0States).allSatisfy(s -> assertThat(s).endsWith(" ready"));
      assertThat(c.daemon("w0").isAlive()).isTrue();
      assertThat(c.http.get("/api/units/w0/jobs/running").body()).contains(Jobs.STIRRING);
    }
  }

  /** A random write that makes sense for the model, so most are acknowledged (refusals are allowed too). */
  private static Write nextWrite(Model m, List<String> units, Random random, int n) {
    String unit = units.get(random.nextInt(units.size()));
    WorkerState w = m.workers().get(unit);
    if (w == null) {
      return new Write("POST", "/api/workers/setup", new JsonObject().put("name", unit).encode(),
          model -> model.workers().put(unit, new WorkerState(true, null)));
    }
    return switch (random.nextInt(6)) {
      case 0 -> new Write("DELETE", "/api/workers/" + unit, null, model -> model.workers().remove(unit));
      case 1 -> {
        String e = "x" + n;
        yield new Write("POST", "/api/experiments", new JsonObject().put("experiment", e).encode(), model -> model.experiments().add(e));
      }
      case 2, 3 -> {
        String e = new ArrayList<>(m.experiments()).get(random.nextInt(m.experiments().size()));
        yield new Write("PUT", "/api/experiments/" + e + "/workers", new JsonObject().put("pioreactor_unit", unit).encode(),
            model -> model.workers().put(unit, new WorkerState(model.workers().get(unit).active(), e)));
      }
      case 4 -> new Write("DELETE", "/api/experiments/" + (w.experiment() == null ? "e0" : w.experiment()) + "/workers/" + unit, null,
          model -> model.workers().put(unit, new WorkerState(model.workers().get(unit).active(), null)));
      default -> {
        boolean active = random.nextBoolean();
        yield new Write("PUT", "/api/workers/" + unit + "/is_active", "{\"is_active\": " + (active ? 1 : 0) + "}",
            model -> model.workers().put(unit, new WorkerState(active, model.workers().get(unit).experiment())));
      }
    };
  }

  private static Model storedModel(Cluster c) throws Exception {
    Model m = new Model(new java.util.TreeMap<>(), new TreeSet<>());
    for (Map<String, Object> r : c.rows("SELECT w.pioreactor_unit AS unit, w.is_active AS active, a.experiment AS experiment "
        + "FROM workers w LEFT JOIN experiment_worker_assignments a ON a.pioreactor_unit = w.pioreactor_unit WHERE w.pioreactor_unit <> 'w0'")) {
      m.workers().put((String) r.get("unit"), new WorkerState(((Number) r.get("active")).intValue() == 1, (String) r.get("experiment")));
    }
    for (Map<String, Object> r : c.rows("SELECT experiment FROM experiments")) {
      m.experiments().add((String) r.get("experiment"));
    }
    return m;
  }

  @Test
  @DisplayName("the leader's disk full: writes answered 503 with a clear message, reads go on, nothing stored is lost, and it recovers when space returns")
  void diskFull() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mounting a small filesystem needs root (CI runs as root)");
    Path disk = Files.createDirectories(dir.resolve("disk"));
    NetworkNamespaces.run(List.of("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", disk.toString()));
    try {
      try (Cluster c = new Cluster(dir, false)) {
        c.databaseAt(disk.resolve("pioreactor.sqlite"));
        c.startLeader(false);
        c.startWorker("w1");
        c.addAndAssign("kept", "w1");
        String description = "x".repeat(4000);
        List<String> acknowledged = new ArrayList<>(List.of("kept"));
        for (int i = 0; i < 20; i++) {
          assertThat(createExperiment(c, "before-" + i, description).status()).isEqualTo(201);
          acknowledged.add("before-" + i);
        }

        Path filler = disk.resolve("filler");
        try (OutputStream out = Files.newOutputStream(filler)) {
          byte[] block = new byte[64 * 1024];
          while (true) {
            out.write(block);
          }
        } catch (IOException full) {
          // the filesystem is full now
        }
        // SQLite reuses space it already has, so some writes may still succeed: those are acknowledged and kept.
        Http.Response refused = null;
        List<String> rejected = new ArrayList<>();
        for (int i = 0; i < 200 && refused == null; i++) {
          Http.Response r = createExperiment(c, "during-" + i, description);
          if (r.status() == 201) {
            acknowledged.add("during-" + i);
          } else {
            refused = r;
            rejected.add("during-" + i);
          }
        }
        assertThat(refused).as("a write refused once the disk is full").isNotNull();
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        JsonObject error = (JsonObject) refused.json();
        assertThat(error.getString("error")).contains("disk is full");
        assertThat(error.getString("remediation")).contains("free space");
        assertThat(c.http.get("/api/workers").status()).isEqualTo(200);
        assertThat(c.http.get("/api/experiments").body()).contains("before-19");
        // another kind of write is refused the same way
        Http.Response deactivate = c.http.send("PUT", "/api/workers/w1/is_active", "{\"is_active\": 0}");
        assertThat(deactivate.status()).as(deactivate.body()).isIn(200, 503);
        boolean deactivated = deactivate.status() == 200;

        Files.delete(filler);
        Http.Response after = createExperiment(c, "after", description);
        assertThat(after.status()).as(after.body()).isEqualTo(201);
        acknowledged.add("after");

        assertThat(c.rows("PRAGMA integrity_check").get(0).values().iterator().next()).isEqualTo("ok");
        List<String> stored = c.rows("SELECT experiment FROM experiments").stream().map(r -> (String) r.get("experiment")).toList();
        assertThat(stored).containsExactlyInAnyOrderElementsOf(acknowledged).doesNotContainAnyElementsOf(rejected);
        assertThat(c.rows("SELECT is_active FROM workers WHERE pioreactor_unit = 'w1'").get(0).get("is_active"))
            .isEqualTo(deactivated ? 0 : 1);
      }
    } finally {
      NetworkNamespaces.run(List.of("umount", "-l", disk.toString()));
    }
  }

  @Test
  @DisplayName("the leader's database made read-only under it: writes answered 503 saying so, reads go on, nothing stored is lost, and writes work again once it is writable")
  void readOnlyDatabase() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "write-protecting a file from root needs chattr as root");
    try (Cluster c = new Cluster(dir, false)) {
      c.startLeader(false);
      c.startWorker("w1");
      c.addAndAssign("kept", "w1");
      List<String> acknowledged = new ArrayList<>(List.of("kept"));
      for (int i = 0; i < 5; i++) {
        assertThat(createExperiment(c, "before-" + i, "d").status()).isEqualTo(201);
        acknowledged.add("before-" + i);
      }
      // Root ignores permissions; the immutable attribute stops even root, as a card remounted read-only would.
      // (Not the -shm file: SQLite maps it into memory, and a write-protected mapping is a crash, not a test.)
      List<Path> files = List.of(c.database(), c.database().resolveSibling(c.database().getFileName() + "-wal"));
      try {
        for (Path f : files) {
          try {
            NetworkNamespaces.run(List.of("chattr", "+i", f.toString()));
          } catch (IllegalStateException | IOException e) {
            Assumptions.abort("this filesystem has no immutable attribute (chattr): " + e.getMessage());
          }
        }
        Http.Response refused = createExperiment(c, "during", "d");
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        JsonObject error = (JsonObject) refused.json();
        assertThat(error.getString("error")).contains("read-only");
        assertThat(error.getString("remediation")).contains("writable");
        Http.Response deactivate = c.http.send("PUT", "/api/workers/w1/is_active", "{\"is_active\": 0}");
        assertThat(deactivate.status()).as(deactivate.body()).isEqualTo(503);
        assertThat(c.http.get("/api/experiments").body()).contains("before-4");
        assertThat(c.http.get("/api/workers/w1").status()).isEqualTo(200);
      } finally {
        for (Path f : files) {
          NetworkNamespaces.run(List.of("chattr", "-i", f.toString()));
        }
      }
      Http.Response after = createExperiment(c, "after", "d");
      assertThat(after.status()).as(after.body()).isEqualTo(201);
      acknowledged.add("after");
      assertThat(c.http.send("PUT", "/api/workers/w1/is_active", "{\"is_active\": 0}").status()).isEqualTo(200);
      assertThat(c.rows("PRAGMA integrity_check").get(0).values().iterator().next()).isEqualTo("ok");
      assertThat(c.rows("SELECT experiment FROM experiments").stream().map(r -> (String) r.get("experiment")).toList())
          .containsExactlyInAnyOrderElementsOf(acknowledged);
      assertThat(c.rows("SELECT is_active FROM workers WHERE pioreactor_unit = 'w1'").get(0).get("is_active")).isEqualTo(0);
    }
  }

  private static Http.Response createExperiment(Cluster c, String name, String description) {
    return c.http.send("POST", "/api/experiments", new JsonObject().put("experiment", name).put("description", description).encode());
  }
}
