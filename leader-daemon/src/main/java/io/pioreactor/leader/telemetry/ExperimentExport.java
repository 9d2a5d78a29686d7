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
    Future<Void> chain = Future.succeededFuture();
    for (ReadingTable t : tables) {
      chain = chain.compose(v -> page(experiment, t, 0, wide, out));
    }
    return chain.compose(v -> out.end());
  }

  private static List<String> columns(ReadingTable t) {
    return switch (t) {
      case OD_READINGS -> List.of("experiment", "pioreactor_unit", "timestamp", "od_reading", "angle", "channel");
      case LED_CHANGE_EVENTS -> List.of("experiment", "pioreactor_unit", "timestamp", "channel", "intensity", "source_of_event");
      case DOSING_EVENTS -> List.of("experiment", "pioreactor_unit", "timestamp", "event", "volume_change_ml", "source_of_event");
      default -> List.of("experiment", "pioreactor_unit", "timestamp", t.valueColumn());
    };
  }

  private Future<Void> page(String experiment, ReadingTable t, long afterRowid, boolean wide, HttpServerResponse out) {
    if (out.closed()) {
      return Future.failedFuture("the client went away");
    }
    List<String> cols = columns(t);
    // Every value as SQLite's own text: the JDBC layer would hand REAL values over as Java floats (0.31 → 0.3100000023841858).
    String sql = "SELECT rowid AS rid, " + String.join(", ", cols.stream().map(c -> "CAST(" + c + " AS TEXT) AS " + c).toList())
        + " FROM " + t.table()
        + " WHERE experiment = ? AND rowid > ? ORDER BY rowid LIMIT " + PAGE;
    return pool.preparedQuery(sql).execute(Tuple.of(experiment, afterRowid)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture();
      }
      Buffer chunk = Buffer.buffer();
      long last = afterRowid;
      for (Row r : rows) {
        last = r.getLong("rid");
        if (wide) {
          for (int i = 0; i < cols.size(); i++) {
            chunk.appendString(i == 0 ? "" : ",").appendString(csv(r.getValue(cols.get(i))));
          }
        } else {
          String series = t.byChannel() ? r.getString("pioreactor_unit") + "-" + r.getValue("channel")
              : t == ReadingTable.LED_CHANGE_EVENTS ? r.getString("pioreactor_unit") + "-" + r.getString("channel")
              : r.getString("pioreactor_unit");
          chunk.appendString(t.table()).appendString(",").appendString(csv(r.getValue("timestamp"))).appendString(",")
              .appendString(csv(r.getValue("pioreactor_unit"))).appendString(",").appendString(csv(series)).appendString(",")
              .appendString(csv(r.getValue(t.valueColumn())));
        }
        chunk.appendString("\n");
      }
      long next = last;
      return writeWhenReady(out, chunk).compose(v -> rows.size() < PAGE ? Future.succeededFuture() : page(experiment, t, next, wide, out));
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

  /** A CSV field: quoted when it holds a comma, quote or line break; a leading =, +, - or @ is not a formula. */
  static String csv(Object v) {
    if (v == null) {
      return "";
    }
    String s = String.valueOf(v);
    if (v instanceof String && !s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0) {
      s = "'" + s;
    }
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }
}
