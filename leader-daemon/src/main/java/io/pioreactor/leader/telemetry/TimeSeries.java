package io.pioreactor.leader.telemetry;

import io.pioreactor.leader.api.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Upstream's time-series answer, {@code {"series": ["w1-1", …], "data": [[{"x": "<time>", "y": <value>}, …], …]}}: for
 * one table, the readings of the last {@code lookback} hours, per unit (and per OD channel for {@code od_readings}), at
 * most about {@code target_points} per series (at most {@link #MAX_TARGET_POINTS}), evenly spread over the rows with the newest always last. Each series is
 * one indexed range read; the spreading happens in SQLite, so a day of 1 Hz readings never reaches the heap whole.
 */
public final class TimeSeries {
  public static final int MAX_TARGET_POINTS = 10_000;
  static final double MAX_LOOKBACK_HOURS = 24 * 365 * 20;

  /** How a request narrows what it reads. {@code everyNth}: upstream's older {@code filter_mod_N}, when given. */
  public record Query(double lookbackHours, int targetPoints, Integer everyNth) {
    public Query {
      if (!(lookbackHours > 0)) {
        throw ApiException.badRequest("'lookback' must be a number of hours above 0");
      }
      // Upstream's page asks for lookback=1000000 ("All time", its default window): that is everything, as is any
      // lookback past MAX_LOOKBACK_HOURS.
      lookbackHours = Math.min(lookbackHours, MAX_LOOKBACK_HOURS);
      if (targetPoints < 1) {
        throw ApiException.badRequest("'target_points' must be > 0");
      }
      // Upstream has no ceiling (its page asks for a million); the leader answers at most MAX_TARGET_POINTS a series.
      targetPoints = Math.min(targetPoints, MAX_TARGET_POINTS);
      if (everyNth != null && (everyNth < 1 || everyNth > 1_000_000)) {
        throw ApiException.badRequest("'filter_mod_N' must be a whole number from 1 to 1000000");
      }
    }
  }

  private final Pool pool;

  public TimeSeries(Pool pool) {
    this.pool = pool;
  }

  /** {@code unit} null: every unit with readings in the experiment. {@code column} null: the table's value column. */
  public Future<JsonObject> read(ReadingTable table, String column, String experiment, String unit, Query q) {
    String valueColumn = column == null ? table.valueColumn() : column;
    boolean byChannel = column == null && table.byChannel();
    String since = UnitTime.format(Instant.now().minus(Duration.ofMillis((long) (q.lookbackHours() * 3_600_000))));
    Future<List<String>> units = unit != null ? Future.succeededFuture(List.of(unit)) : unitsOf(table, experiment);
    return units.compose(us -> {
      List<Future<Series>> reads = new ArrayList<>();
      for (String u : us) {
        if (byChannel) {
          for (int channel = 1; channel <= 4; channel++) {
            reads.add(series(table, valueColumn, experiment, u, channel, since, q));
          }
        } else {
          reads.add(series(table, valueColumn, experiment, u, null, since, q));
        }
      }
      return Future.all(reads).map(all -> {
        JsonArray names = new JsonArray();
        JsonArray data = new JsonArray();
        for (int i = 0; i < all.size(); i++) {
          Series s = all.resultAt(i);
          if (!s.points().isEmpty()) {
            names.add(s.name());
            data.add(s.points());
          }
        }
        return new JsonObject().put("series", names).put("data", data);
      });
    });
  }

  private record Series(String name, JsonArray points) {}

  private Future<Series> series(ReadingTable table, String column, String experiment, String unit, Integer channel,
                                String since, Query q) {
    // Table and column names come from ReadingTable only, never from the request.
    // As text: the JDBC layer hands SQLite's REAL values over as Java floats (0.31 → 0.3100000023841858).
    String sql = "SELECT timestamp, y FROM (SELECT timestamp, CAST(ROUND(" + column + ", ?) AS TEXT) AS y, "
        + "ROW_NUMBER() OVER (ORDER BY timestamp, rowid) AS rn, COUNT(*) OVER () AS n FROM " + table.table()
        + " WHERE experiment = ? AND pioreactor_unit = ?" + (channel == null ? "" : " AND channel = ?")
        + " AND timestamp > ? AND " + column + " IS NOT NULL) "
        + where(q);
    List<Object> params = new ArrayList<>(List.of(table.decimals(), experiment, unit));
    if (channel != null) {
      params.add(channel);
    }
    params.add(since);
    return pool.preparedQuery(sql).execute(Tuple.wrap(params)).map(rows -> {
      JsonArray points = new JsonArray();
      for (Row r : rows) {
        points.add(new JsonObject().put("x", r.getString("timestamp")).put("y", Double.parseDouble(r.getString("y"))));
      }
      return new Series(channel == null ? unit : unit + "-" + channel, points);
    });
  }

  /**
   * Which of the n rows (numbered rn, oldest first) are answered. filter_mod_N: every Nth and the newest. One point:
   * the newest (as upstream). t points: the first row of each of t equal slices of the rows, so the first and the
   * newest rows are always in and there are exactly t (fewer rows: all of them). Numbers only, from the query record.
   */
  private static String where(Query q) {
    if (q.everyNth() != null) {
      return "WHERE (rn - 1) % " + q.everyNth() + " = 0 OR rn = n ORDER BY rn";
    }
    int t = q.targetPoints();
    if (t == 1) {
      return "WHERE rn = n ORDER BY rn";
    }
    return "WHERE n <= " + t + " OR rn = 1 OR ((rn - 1) * " + (t - 1) + ") / (n - 1) > ((rn - 2) * " + (t - 1) + ") / (n - 1) ORDER BY rn";
  }

  /** The units with rows in this experiment: a skip-scan of the index, one short read per unit. */
  private Future<List<String>> unitsOf(ReadingTable table, String experiment) {
    String sql = "WITH RECURSIVE units(u) AS (SELECT MIN(pioreactor_unit) FROM " + table.table() + " WHERE experiment = ? "
        + "UNION ALL SELECT (SELECT MIN(pioreactor_unit) FROM " + table.table() + " WHERE experiment = ? AND pioreactor_unit > units.u) "
        + "FROM units WHERE u IS NOT NULL) SELECT u FROM units WHERE u IS NOT NULL";
    return pool.preparedQuery(sql).execute(Tuple.of(experiment, experiment)).map(rows -> {
      List<String> out = new ArrayList<>();
      rows.forEach(r -> out.add(r.getString("u")));
      return out;
    });
  }
}
