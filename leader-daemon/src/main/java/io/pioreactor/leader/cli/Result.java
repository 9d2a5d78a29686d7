package io.pioreactor.leader.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A cluster command's outcome a unit at a time: a table for people, or with {@code --json} one object a line for scripts,
 * as upstream's {@code pios … --json}: {@code {"unit", <the other columns by name>, "status": "success"|"error"|"skipped",
 * "error"?|"reason"?, …}}.
 */
final class Result {
  private final boolean json;
  private final String[] header;
  private final Table table;
  private final List<String> lines = new ArrayList<>();

  Result(boolean json, String... header) {
    this.json = json;
    this.header = header;
    this.table = new Table(header);
  }

  /** {@code cells}: every column but the last (the unit first); {@code text}: the last, for people. */
  void done(JsonObject extra, String... cellsAndText) {
    add("success", extra, cellsAndText);
  }

  void failed(String error, String... cells) {
    add("error", new JsonObject().put("error", error), concat(cells, "refused: " + error));
  }

  void skipped(String unit, String experiment, String reason) {
    add("skipped", new JsonObject().put("reason", reason), unit, experiment == null ? "-" : experiment, "skipped: " + reason);
  }

  private void add(String status, JsonObject extra, String... cells) {
    table.row((Object[]) cells);
    JsonObject o = new JsonObject();
    for (int i = 0; i < header.length - 1 && i < cells.length; i++) {
      o.put(i == 0 ? "unit" : header[i].toLowerCase(), cells[i]);
    }
    o.put("status", status);
    o.mergeIn(extra);
    lines.add(o.encode());
  }

  void print(PrintStream out) {
    if (json) {
      lines.forEach(out::println);
    } else {
      out.print(table.render());
    }
  }

  private static String[] concat(String[] a, String last) {
    String[] out = java.util.Arrays.copyOf(a, a.length + 1);
    out[a.length] = last;
    return out;
  }
}
