package io.pioreactor.leader.telemetry;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * An experiment's readings as CSV, streamed: {@link #PAGE} rows at a time (keyset by rowid), each page written only when
 * the client has taken the one before, so an experiment of millions of rows never sits in the heap. One table: its own
 * columns, as upstream names them. Several: one long table, {@code dataset,timestamp,pioreactor_unit,series,value}.
 */
public final class ExperimentExport {
  static final int PAGE = 2_000;
  private final Pool pool;

  public ExperimentExport(Pool pool) {
    this.pool = pool;
  }

  /** Writes the CSV to {@code out} (headers already set by the caller) and ends it. */
  public Future<Void> write(String experiment, List<ReadingTable> tables, HttpServerResponse out) {
    boolean wide = tables.size() == 1;
    out.write(wide ? String.join(",", columns(tables.get(0))) + "\n" : "dataset,timestamp,pioreactor_unit,series,value\n");
    Promise<Void> done = Promise.promise();
    next(experiment, tables, 0, null, wide, out, done);
    return done.future().compose(v -> out.end());
  }

  private static List<String> columns(ReadingTable t) {
    return switch (t) {
      case OD_READINGS -> List.of("experiment", "pioreactor_unit", "timestamp", "od_reading", "angle", "channel");
      case LED_CHANGE_EVENTS -> List.of("experiment", "pioreactor_unit", "timestamp", "channel", "intensity", "source_of_event");
      case DOSING_EVENTS -> List.of("experiment", "pioreactor_unit", "timestamp", "event", "volume_change_ml", "source_of_event");
      default -> List.of("experiment", "pioreactor_unit", "timestamp", t.valueColumn());
    };
  }

  /** The columns holding text a unit wrote (the rest are numbers): only these could be read as spreadsheet formulas. */
  private static final java.util.Set<String> TEXT_COLUMNS = java.util.Set.of("experiment", "pioreactor_unit", "event", "source_of_event");

  /** Where a page ends, in the table's index order: unit, channel (when it has channels), time, rowid. */
  private record Cursor(String unit, Object channel, String timestamp, long rowid) {}

  /**
   * One page of table {@code i}, then the next (from the completion callback, so pages do not nest: a long export
   * never grows the stack), then the next table; {@code done} when all are written or the client left.
   */
  private void next(String experiment, List<ReadingTable> tables, int i, Cursor after, boolean wide, HttpServerResponse out,
                    Promise<Void> done) {
    if (i == tables.size()) {
      done.tryComplete();
      return;
    }
    if (out.closed()) {
      done.tryFail("the client went away");
      return;
    }
    ReadingTable t = tables.get(i);
    boolean channels = !t.channels().isEmpty();
    List<String> cols = columns(t);
    String order = channels ? "pioreactor_unit, channel, timestamp, rowid" : "pioreactor_unit, timestamp, rowid";
    // Every value as SQLite's own text: the JDBC layer would hand REAL values over as Java floats. Keyset paging in
    // the index's order: each page is one range read of the index, however far into the table it is.
    String sql = "SELECT rowid AS rid, CAST(channel_key AS TEXT) AS ck, "
        + String.join(", ", cols.stream().map(c -> "CAST(" + c + " AS TEXT) AS " + c).toList())
        + " FROM " + t.table() + " WHERE experiment = ?" + (after == null ? "" : " AND (" + order + ") > (?, "
        + (channels ? "?, " : "") + "?, ?)") + " ORDER BY " + order + " LIMIT " + PAGE;
    sql = sql.replace("CAST(channel_key AS TEXT) AS ck, ", channels ? "channel AS ck, " : "");
    List<Object> params = new java.util.ArrayList<>(List.of(experiment));
    if (after != null) {
      params.add(after.unit());
      if (channels) {
        params.add(after.channel());
      }
      params.add(after.timestamp());
      params.add(after.rowid());
    }
    pool.preparedQuery(sql).execute(Tuple.wrap(params)).onComplete(ar -> {
      if (ar.failed()) {
        done.tryFail(ar.cause());
        return;
      }
      var rows = ar.result();
      Buffer chunk = Buffer.buffer();
      Cursor last = after;
      for (Row r : rows) {
        last = new Cursor(r.getString("pioreactor_unit"), channels ? r.getValue("ck") : null, r.getString("timestamp"), r.getLong("rid"));
        if (wide) {
          for (int c = 0; c < cols.size(); c++) {
            String col = cols.get(c);
            chunk.appendString(c == 0 ? "" : ",").appendString(csv(r.getString(col), TEXT_COLUMNS.contains(col)));
          }
        } else {
          String series = channels ? r.getString("pioreactor_unit") + "-" + r.getString("channel") : r.getString("pioreactor_unit");
          chunk.appendString(t.table()).appendString(",").appendString(csv(r.getString("timestamp"), false)).appendString(",")
              .appendString(csv(r.getString("pioreactor_unit"), true)).appendString(",").appendString(csv(series, true)).appendString(",")
              .appendString(csv(r.getString(t.valueColumn()), false));
        }
        chunk.appendString("\n");
      }
      Cursor resume = last;
      boolean more = rows.size() == PAGE;
      writeWhenReady(out, chunk).onComplete(w -> {
        if (w.failed()) {
          done.tryFail(w.cause());
        } else if (more) {
          next(experiment, tables, i, resume, wide, out, done);
        } else {
          next(experiment, tables, i + 1, null, wide, out, done);
        }
      });
    });
  }

  private static Future<Void> writeWhenReady(HttpServerResponse out, Buffer chunk) {
    Future<Void> written = out.write(chunk);
    if (!out.writeQueueFull()) {
      return written;
    }
    Promise<Void> drained = Promise.promise();
    out.drainHandler(v -> drained.tryComplete());
    out.closeHandler(v -> drained.tryFail("the client went away"));
    return drained.future();
  }

  /**
   * A CSV field: quoted when it holds a comma, quote or line break. Text a unit wrote that starts with = + - @, a tab
   * or a carriage return gets a leading {@code '}, so a spreadsheet does not run it as a formula; numbers stay as they are.
   */
  static String csv(String s, boolean text) {
    if (s == null) {
      return "";
    }
    if (text && !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
      s = "'" + s;
    }
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }
}
