package io.pioreactor.bench;

import io.pioreactor.leader.telemetry.ReadingTable;
import io.pioreactor.leader.telemetry.UnitTime;
import io.pioreactor.protocol.JobState;
import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Readings;
import io.pioreactor.protocol.testing.TestCredentials;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The leader's telemetry storage under a fleet running jobs: {@code units} simulated workers (each signed in to the
 * embedded broker with its own credentials, in the inventory and assigned to one experiment, with {@code od_reading},
 * {@code growth_rate_calculating} and {@code temperature_automation} {@code ready}) each publish OD ({@code od1}),
 * growth rate and temperature once a second for {@code seconds}, the units' seconds spread evenly over the second.
 *
 * <p>Write lag: a reading's publish (the instant its payload's timestamp was taken) → its point in a {@code readings}
 * event on {@code /api/events}. The leader hands committed rows to the event stream about once a second, so the lag
 * includes up to 1 s of that hand-over: the commit itself comes earlier. An estimate of the commit lag: each event's
 * oldest point, less the 1 s the hand-over timer waits after the first row it carries was committed (an estimate: it
 * takes that oldest point to be the row that started the timer). The first tenth of the seconds warms up.
 * Also: the leader's CPU over the publishing (the broker is in its process) and holding the same fleet idle after
 * it (jobs still ready, nothing published, the JIT warm); rows in the SQLite file afterwards against readings published. Floor: a bare QoS 1 round trip through the same
 * broker.
 */
final class TelemetryBench {
  static final String EXPERIMENT = "telemetry";
  private static final String PREFIX = "tel";
  private static final List<String> JOBS = List.of(Jobs.OD_READING, Jobs.GROWTH_RATE_CALCULATING, Jobs.TEMPERATURE_AUTOMATION);
  /** TelemetryStore hands committed rows to the event stream 1 s after the first of them. */
  private static final long HAND_OVER_NANOS = 1_000_000_000L;
  private static final List<ReadingTable> TABLES = List.of(ReadingTable.OD_READINGS, ReadingTable.GROWTH_RATES,
      ReadingTable.TEMPERATURE_READINGS);

  record Result(int units, int seconds, Percentiles lag, Percentiles commit, Percentiles floor, ProcStats.Window ingest,
                ProcStats.Window idle, long published, long failed, long streamed, Map<String, long[]> stored) {
    /** Rows in the tables. */
    long storedTotal() {
      return stored.values().stream().mapToLong(x -> x[0]).sum();
    }

    /** Distinct readings among them (unit and timestamp): more rows than that are duplicates. */
    long storedDistinct() {
      return stored.values().stream().mapToLong(x -> x[1]).sum();
    }
  }

  /** When one reading was published: nanoTime, and which of the unit's seconds it was. */
  private record Sent(long nanos, int tick) {}

  private TelemetryBench() {}

  static Result measure(Vertx vertx, Path repo, int units, int seconds, int idleSeconds) throws Exception {
    Path dir = Files.createTempDirectory("bench-telemetry");
    try (LeaderProcess leader = LeaderProcess.start(repo, dir, 0)) {
      leader.send("POST", "/api/experiments", new JsonObject().put("experiment", EXPERIMENT), 201);
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= units; i++) {
        names.add(PREFIX + i);
      }
      leader.addWorkers(names, EXPERIMENT);
      try (SimulatedWorkers fleet = SimulatedWorkers.connect(vertx, leader.brokerPort(), PREFIX, units, leader.credentials())) {
        List<Future<Void>> started = new ArrayList<>();
        for (SimulatedWorker w : fleet.all()) {
          for (String job : JOBS) {
            started.add(w.jobState(EXPERIMENT, job, JobState.INIT.wire())
                .compose(v -> w.jobState(EXPERIMENT, job, JobState.READY.wire())));
          }
        }
        Future.all(started).await();
        // Let the joins and job states drain, and the leader's 2 s reads of each new member's retained state end: while
        // one is open, that unit's live readings are stored twice (docs/bench.md; its temporary filter overlaps the
        // permanent one, presumably). The steady state is measured here; duplicates would show in the stored count.
        Thread.sleep(5000);

        Map<String, Sent> sent = new ConcurrentHashMap<>();
        List<Long> lags = Collections.synchronizedList(new ArrayList<>());
        List<Long> commits = Collections.synchronizedList(new ArrayList<>());
        AtomicLong streamed = new AtomicLong();
        int warmup = Math.max(1, seconds / 10);
        AtomicLong published = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ProcStats.Window ingest;
        try (EventStreamReader stream = new EventStreamReader(leader, "readings", (data, at) -> {
          if (!EXPERIMENT.equals(data.getString("experiment"))) {
            return;
          }
          JsonArray points = data.getJsonArray("readings");
          long oldest = -1;
          boolean warm = true;
          for (int i = 0; i < points.size(); i++) {
            JsonObject p = points.getJsonObject(i);
            Sent s = sent.remove(key(p.getString("pioreactor_unit"), p.getString("table"), p.getString("x")));
            if (s != null) {
              streamed.incrementAndGet();
              warm &= s.tick() >= warmup;
              if (s.tick() >= warmup) {
                lags.add(at - s.nanos());
              }
              oldest = Math.max(oldest, at - s.nanos());
            }
          }
          // The hand-over timer starts at the first row committed after the last hand-over and fires 1 s later: the
          // event's oldest point waited about that second, so its lag less 1 s estimates its commit lag.
          if (oldest >= 0 && warm) {
            commits.add(Math.max(0, oldest - HAND_OVER_NANOS));
          }
        })) {
          stream.awaitOpen();
          CountDownLatch done = new CountDownLatch(units);
          ProcStats.Meter busy = ProcStats.meter(leader.pid());
          for (int i = 0; i < units; i++) {
            SimulatedWorker w = fleet.all().get(i);
            int[] tick = {0};
            vertx.setPeriodic(1 + i * 1000L / units, 1000, id -> {
              publishTick(w, tick[0], sent, published, failed);
              if (++tick[0] >= seconds) {
                vertx.cancelTimer(id);
                done.countDown();
              }
            });
          }
          if (!done.await(seconds + 60L, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the simulated units did not finish publishing");
          }
          ingest = busy.stop();
          // What is still to come arrives within the next hand-over or two; wait while it keeps arriving.
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
          long before = -1;
          while (streamed.get() < published.get() && streamed.get() != before && System.nanoTime() < deadline) {
            before = streamed.get();
            Thread.sleep(2500);
          }
        }
        // Idle: the same units connected, their jobs ready, nothing published (after the ingest: the JIT is warm).
        Thread.sleep(2000);
        ProcStats.Meter idleMeter = ProcStats.meter(leader.pid());
        Thread.sleep(idleSeconds * 1000L);
        ProcStats.Window idle = idleMeter.stop();
        Map<String, long[]> stored = count(leader.database());
        Percentiles floor = MqttRoundTrip.measure(vertx, leader.brokerPort(), 1, 100, 500, TestCredentials.LEADER_USER,
            leader.credentials().password(TestCredentials.LEADER_USER));
        if (lags.isEmpty()) {
          throw new IllegalStateException("no reading reached the event stream (see the leader's log in " + dir + ")");
        }
        return new Result(units, seconds, Percentiles.of(lags), Percentiles.of(commits), floor, ingest, idle, published.get(), failed.get(),
            streamed.get(), stored);
      }
    }
  }

  private static void publishTick(SimulatedWorker w, int tick, Map<String, Sent> sent, AtomicLong published, AtomicLong failed) {
    String ts = UnitTime.format(Instant.now());
    long nanos = System.nanoTime();
    double hours = tick / 3600.0;
    List<JsonObject> payloads = List.of(
        new JsonObject().put("od", 0.05 + 0.01 * tick / 60.0).put("angle", "90").put("channel", "1").put("timestamp", ts),
        new JsonObject().put(Readings.GROWTH_RATE, 0.3 + 0.01 * Math.sin(hours)).put("timestamp", ts),
        new JsonObject().put(Readings.TEMPERATURE, 30.0 + 0.1 * (tick % 3)).put("timestamp", ts));
    List<String> attributes = List.of(Readings.odChannel(1), Readings.GROWTH_RATE, Readings.TEMPERATURE);
    for (int j = 0; j < JOBS.size(); j++) {
      sent.put(key(w.unit(), TABLES.get(j).table(), ts), new Sent(nanos, tick));
      w.reading(EXPERIMENT, JOBS.get(j), attributes.get(j), payloads.get(j))
          .onSuccess(v -> published.incrementAndGet())
          .onFailure(e -> failed.incrementAndGet());
    }
  }

  private static String key(String unit, String table, String timestamp) {
    return unit + "/" + table + "/" + timestamp;
  }

  /** {rows, distinct (unit, timestamp)} of the experiment in each table, from the leader's SQLite file (WAL: a reader beside it). */
  private static Map<String, long[]> count(Path database) throws Exception {
    Map<String, long[]> out = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath() + "?busy_timeout=15000")) {
      for (ReadingTable t : TABLES) {
        // Table names from ReadingTable only.
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*), COUNT(DISTINCT pioreactor_unit || '/' || timestamp) FROM "
            + t.table() + " WHERE experiment = ?")) {
          s.setString(1, EXPERIMENT);
          try (ResultSet r = s.executeQuery()) {
            r.next();
            out.put(t.table(), new long[] {r.getLong(1), r.getLong(2)});
          }
        }
      }
    }
    return out;
  }
}
