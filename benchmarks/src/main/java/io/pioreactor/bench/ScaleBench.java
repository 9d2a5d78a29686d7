package io.pioreactor.bench;

import io.pioreactor.protocol.JobState;
import io.pioreactor.protocol.testing.MosquittoBroker;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The leader with many simulated workers connected and in the inventory: {@code GET /api/workers}; the event
 * stream's delay (a worker's monitor {@code $state} published → the {@code worker} event on {@code /api/events});
 * the leader's RSS and CPU over the measured run, and CPU while it just holds them (keep-alives). The broker is
 * mosquitto, as installed on a leader, so the leader's figures are the leader's own. Floors: {@code GET /api/health}
 * (same server and connection, no database, no workers) for the list; a bare QoS 1 round trip for the event stream.
 */
final class ScaleBench {
  record Result(int workers, Percentiles list, Percentiles health, Percentiles events, Percentiles floor, long rssKb,
                ProcStats.Window busy, ProcStats.Window idle) {}

  private ScaleBench() {}

  static Result measure(Vertx vertx, Path repo, int workers, int samples, int idleSeconds) throws Exception {
    Path dir = Files.createTempDirectory("bench-scale");
    try (MosquittoBroker broker = MosquittoBroker.start();
         LeaderProcess leader = LeaderProcess.start(repo, dir, broker.port());
         SimulatedWorkers fleet = SimulatedWorkers.connect(vertx, broker.port(), "scale", workers)) {
      leader.addWorkers(fleet.units(), null);
      Thread.sleep(2000); // let the joins' announcements drain before measuring
      ProcStats.Meter busy = ProcStats.meter(leader.pid());

      List<Long> list = new ArrayList<>();
      List<Long> health = new ArrayList<>();
      for (int i = 0; i < samples + samples / 10; i++) { // the first tenth warms up
        long t0 = System.nanoTime();
        HttpResponse<String> r = leader.fetch("/api/workers");
        long took = System.nanoTime() - t0;
        if (r.statusCode() != 200 || new JsonArray(r.body()).size() != workers) {
          throw new IllegalStateException("GET /api/workers did not list the " + workers + " workers");
        }
        long t1 = System.nanoTime();
        leader.fetch("/api/health");
        long floor = System.nanoTime() - t1;
        if (i >= samples / 10) {
          list.add(took);
          health.add(floor);
        }
      }

      Map<String, Long> seen = new ConcurrentHashMap<>();
      List<Long> events = new ArrayList<>();
      try (EventStreamReader stream = new EventStreamReader(leader, "worker",
          (data, at) -> seen.putIfAbsent(data.getString("pioreactor_unit") + "/" + data.getString("state"), at))) {
        stream.awaitOpen();
        for (int i = 0; i < samples + samples / 10; i++) {
          SimulatedWorker w = fleet.all().get(ThreadLocalRandom.current().nextInt(workers));
          // init then ready again: a state change the Inventory shows, and the worker is ready when the round ends.
          for (String state : List.of(JobState.INIT.wire(), JobState.READY.wire())) {
            String key = w.unit() + "/" + state;
            seen.remove(key);
            long t0 = System.nanoTime();
            w.monitorState(state);
            FanOutBench.await("the event stream to show " + key, () -> seen.containsKey(key));
            if (i >= samples / 10) {
              events.add(seen.get(key) - t0);
            }
          }
        }
      }
      ProcStats.Window busyWindow = busy.stop();
      long rss = ProcStats.rssKb(leader.pid());
      ProcStats.Meter idle = ProcStats.meter(leader.pid());
      Thread.sleep(idleSeconds * 1000L);
      ProcStats.Window idleWindow = idle.stop();
      Percentiles floor = MqttRoundTrip.measure(vertx, broker.port(), 1, 100, 500);
      return new Result(workers, Percentiles.of(list), Percentiles.of(health), Percentiles.of(events), floor, rss, busyWindow, idleWindow);
    }
  }
}
