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
 * one table, the readings of the last {@code lookback} hours, per unit (and per channel for {@code od_readings} and
 * {@code led_change_events}), at most {@code target_points} per series (at most {@link #MAX_TARGET_POINTS}), spread evenly
 * over time as upstream spreads them, the first and the newest always in. A long range costs {@code target_points}
 * index seeks, not a read of every row, and never reaches the heap whole.
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
    boolean byChannel = column == null && !table.channels().isEmpty();
    Instant now = Instant.now();
    String since = UnitTime.format(now.minus(Duration.ofMillis((long) (q.lookbackHours() * 3_600_000))));
    // Nothing after now: a unit whose clock runs ahead cannot hold the newest point of every chart.
    String until = UnitTime.format(now.plus(UnitTime.MAX_AHEAD));
    Future<List<String>> units = unit != null ? Future.succeededFuture(List.of(unit)) : unitsOf(table, experiment);
    return units.compose(us -> {
      List<Future<Series>> reads = new ArrayList<>();
      for (String u : us) {
        if (byChannel) {
          for (Object channel : table.channels()) {
            reads.add(series(table, valueColumn, experiment, u, channel, since, until, q));
          }
        } else {
          reads.add(series(table, valueColumn, experiment, u, null, since, until, q));
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

  private Future<Series> series(ReadingTable table, String column, String experiment, String unit, Object channel,
                                String since, String until, Query q) {
    // Table and column names come from ReadingTable only, never from the request. Values are read as text: the JDBC
    // layer hands SQLite's REAL values over as Java floats (0.31 → 0.3100000023841858).
    String from = " FROM " + table.table() + " WHERE experiment = ? AND pioreactor_unit = ?" + (channel == null ? "" : " AND channel = ?")
        + " AND timestamp > ? AND timestamp <= ?";
    String value = "CAST(ROUND(" + column + ", " + table.decimals() + ") AS TEXT) AS y";
    List<Object> key = new ArrayList<>(List.of(experiment, unit));
    if (channel != null) {
      key.add(channel);
    }
    List<Object> range = new ArrayList<>(key);
    range.add(since);
    range.add(until);
    String name = channel == null ? unit : unit + "-" + channel;
    int t = q.targetPoints();
    if (q.everyNth() != null) {
      // Every Nth row of the range, and the newest; never more than MAX_TARGET_POINTS (N grows if it would be).
      String sql = "SELECT timestamp, y FROM (SELECT timestamp, " + value + ", ROW_NUMBER() OVER (ORDER BY timestamp, rowid) AS rn, "
          + "COUNT(*) OVER () AS n" + from + ") WHERE (rn - 1) % MAX(" + q.everyNth() + ", (n + " + (MAX_TARGET_POINTS - 1) + ") / "
          + MAX_TARGET_POINTS + ") = 0 OR rn = n ORDER BY rn";
      return pool.preparedQuery(sql).execute(Tuple.wrap(range)).map(rows -> new Series(name, points(rows)));
    }
    // Upstream's way: look at no more than t + 1 rows to learn whether the range is small; if it is, answer it. If not,
    // t times evenly spread between the first and the newest row, each answered by the first row at or after it: t
    // index seeks, however many rows the range holds. The newest row is always the last point; one point is the newest.
    String probe = "SELECT timestamp" + from + " ORDER BY timestamp, rowid LIMIT " + (t + 1);
    return pool.preparedQuery(probe).execute(Tuple.wrap(range)).compose(first -> {
      if (first.size() == 0) {
        return Future.succeededFuture(new Series(name, new JsonArray()));
      }
      if (first.size() <= t) {
        return pool.preparedQuery("SELECT timestamp, " + value + from + " ORDER BY timestamp, rowid").execute(Tuple.wrap(range))
            .map(rows -> new Series(name, points(rows)));
      }
      String oldest = first.iterator().next().getString("timestamp");
      return pool.preparedQuery("SELECT timestamp" + from + " ORDER BY timestamp DESC, rowid DESC LIMIT 1").execute(Tuple.wrap(range))
          .compose(last -> {
            String newest = last.iterator().next().getString("timestamp");
            JsonArray targets = targets(oldest, newest, t);
            String seek = "SELECT x.rowid FROM " + table.table() + " x WHERE x.experiment = ? AND x.pioreactor_unit = ?"
                + (channel == null ? "" : " AND x.channel = ?") + " AND x.timestamp >= j.value AND x.timestamp <= ? "
                + "ORDER BY x.timestamp, x.rowid LIMIT 1";
            String sql = "SELECT t.timestamp, CAST(ROUND(t." + column + ", " + table.decimals() + ") AS TEXT) AS y FROM "
                + "(SELECT DISTINCT (" + seek + ") AS rid FROM json_each(?) j) c JOIN " + table.table()
                + " t ON t.rowid = c.rid ORDER BY t.timestamp, t.rowid";
            List<Object> params = new ArrayList<>(key);
            params.add(newest);
            params.add(targets.encode());
            return pool.preparedQuery(sql).execute(Tuple.wrap(params)).map(rows -> new Series(name, points(rows)));
          });
    });
  }

  /** {@code t} times from {@code oldest} to {@code newest}, evenly spread, both ends included; one time: the newest. */
  static JsonArray targets(String oldest, String newest, int t) {
    JsonArray out = new JsonArray();
    if (t == 1) {
      return out.add(newest);
    }
    Instant a = Instant.parse(oldest);
    long span = Duration.between(a, Instant.parse(newest)).toNanos();
    for (int i = 0; i < t - 1; i++) {
      out.add(UnitTime.format(a.plusNanos(Math.round(span * (double) i / (t - 1)))));
    }
    return out.add(newest);
  }

  private static JsonArray points(io.vertx.sqlclient.RowSet<Row> rows) {
    JsonArray points = new JsonArray();
    for (Row r : rows) {
      points.add(new JsonObject().put("x", r.getString("timestamp")).put("y", Double.parseDouble(r.getString("y"))));
    }
    return points;
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
