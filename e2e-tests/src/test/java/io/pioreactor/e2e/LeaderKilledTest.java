package io.pioreactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Topics;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The leader killed with SIGKILL in the middle of writes: what it acknowledged is exactly what it has. */
class LeaderKilledTest {
  private static final Duration SOON = Duration.ofSeconds(10);

  @TempDir
  Path dir;

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
      assertThat(c.http.send("POST", Cluster.runJobPath("w0", "e0", Jobs.STIRRING), "{}").status()).isEqualTo(200);
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
      List<String> w0States = c.seenSince(seenBefore, Topics.jobState("w0", "e0", Jobs.STIRRING));
      assertThat(w0States).allSatisfy(s -> assertThat(s).isEqualTo("ready"));
      assertThat(c.daemon("w0").isAlive()).isTrue();
      assertThat(c.http.get("/api/units/w0/activities").body()).contains(Jobs.STIRRING);
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
}
