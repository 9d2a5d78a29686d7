package io.pioreactor.bench;

import io.pioreactor.leader.telemetry.ReadingTable;
import io.pioreactor.leader.telemetry.UnitTime;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One unit's day of OD: {@link #ROWS} rows of {@code od_readings} (1 Hz, the newest now) written into the leader's SQLite
 * file through a second connection while the leader runs (WAL; one transaction), then the Pioreactors page's read of
 * it, {@code GET /api/workers/<u>/experiments/<e>/time_series/od_readings?lookback=24&target_points=720} (upstream's
 * page default), and the same with {@code target_points=10000} (the leader's ceiling), each checked for its point
 * count. Floor: {@code GET /api/health} on the same connection, interleaved.
 */
final class TimeSeriesBench {
  static final int ROWS = 86_400;
  private static final String EXPERIMENT = "timeseries";
  private static final String UNIT = "day1";

  record Result(int rows, double insertSeconds, Percentiles page, int pagePoints, Percentiles most, int mostPoints,
                Percentiles health) {}

  private TimeSeriesBench() {}

  static Result measure(Path repo, int samples) throws Exception {
    Path dir = Files.createTempDirectory("bench-timeseries");
    try (LeaderProcess leader = LeaderProcess.start(repo, dir, 0)) {
      leader.send("POST", "/api/experiments", new JsonObject().put("experiment", EXPERIMENT), 201);
      leader.addWorkers(List.of(UNIT), EXPERIMENT);
      long t0 = System.nanoTime();
      insertDay(leader.database());
      double insertSeconds = (System.nanoTime() - t0) / 1e9;
      String base = "/api/workers/" + UNIT + "/experiments/" + EXPERIMENT + "/time_series/" + ReadingTable.OD_READINGS.table()
          + "?lookback=24&target_points=";
      List<Long> page = new ArrayList<>();
      List<Long> most = new ArrayList<>();
      List<Long> health = new ArrayList<>();
      for (int i = 0; i < samples + samples / 10; i++) { // the first tenth warms up
        long a = timed(leader, base + 720, 720);
        long b = timed(leader, base + 10_000, 10_000);
        long t1 = System.nanoTime();
        leader.fetch("/api/health");
        long c = System.nanoTime() - t1;
        if (i >= samples / 10) {
          page.add(a);
          most.add(b);
          health.add(c);
        }
      }
      return new Result(ROWS, insertSeconds, Percentiles.of(page), 720, Percentiles.of(most), 10_000, Percentiles.of(health));
    }
  }

  /** One read, which must answer one series ({@code <unit>-1}) of exactly {@code points} points. */
  private static long timed(LeaderProcess leader, String path, int points) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> r = leader.fetch(path);
    long took = System.nanoTime() - t0;
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    JsonObject body = new JsonObject(r.body());
    JsonArray data = body.getJsonArray("data");
    if (!new JsonArray().add(UNIT + "-1").equals(body.getJsonArray("series")) || data.getJsonArray(0).size() != points) {
      throw new IllegalStateException("GET " + path + " did not answer " + points + " points of " + UNIT + "-1: "
          + body.getJsonArray("series") + ", " + (data.isEmpty() ? 0 : data.getJsonArray(0).size()) + " points");
    }
    return took;
  }

  /** A day of 1 Hz OD readings on channel 1 ending now (a logistic curve), in the leader's own insert, one transaction. */
  private static void insertDay(Path database) throws Exception {
    Instant end = Instant.now();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath() + "?busy_timeout=15000")) {
      c.setAutoCommit(false);
      try (PreparedStatement s = c.prepareStatement(ReadingTable.OD_READINGS.insertSql())) {
        for (int i = 0; i < ROWS; i++) {
          double hours = i / 3600.0;
          s.setString(1, EXPERIMENT);
          s.setString(2, UNIT);
          s.setString(3, UnitTime.format(end.minusSeconds(ROWS - 1 - i)));
          s.setDouble(4, 0.05 + 1.5 / (1 + Math.exp(-(hours - 12) / 2.0)));
          s.setInt(5, 90);
          s.setInt(6, 1);
          s.addBatch();
          if (i % 10_000 == 9_999) {
            s.executeBatch();
          }
        }
        s.executeBatch();
      }
      c.commit();
    }
  }
}
