package io.pioreactor.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Collects result rows, prints them as a table and writes them as JSON. */
public final class ResultTable {
  private final List<String[]> rows = new ArrayList<>();
  private final JsonArray json = new JsonArray();

  /** One measured figure, with an optional floor (the same thing's bare minimum) to compare against. */
  public void add(String name, String value, String floor, String ratio, JsonObject data) {
    rows.add(new String[] {name, value, floor == null ? "" : floor, ratio == null ? "" : ratio});
    json.add(data.put("name", name));
  }

  public void print() {
    String[] head = {"measure", "value", "floor (same run)", "ratio"};
    int[] w = new int[head.length];
    for (int i = 0; i < head.length; i++) {
      w[i] = head[i].length();
      for (String[] r : rows) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, head, w);
    StringBuilder sep = new StringBuilder();
    for (int x : w) {
      sep.append("-".repeat(x)).append("  ");
    }
    sb.append(sep.toString().stripTrailing()).append('\n');
    rows.forEach(r -> line(sb, r, w));
    System.out.print(sb);
  }

  private static void line(StringBuilder sb, String[] cells, int[] w) {
    for (int i = 0; i < cells.length; i++) {
      sb.append(String.format("%-" + w[i] + "s  ", cells[i]));
    }
    sb.setLength(sb.length() - 2);
    sb.append('\n');
  }

  public void write(Path file, JsonObject meta) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, meta.copy().put("results", json).encodePrettily());
  }

  static String fmt(Percentiles p) {
    return String.format("p50 %.3f ms, p99 %.3f ms", p.p50Ms(), p.p99Ms());
  }
}
