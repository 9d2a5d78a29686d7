package io.pioreactor.leader.cli;

import io.pioreactor.protocol.LogMessage;
import io.pioreactor.protocol.Names;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * {@code pio logs [-f] [--unit U] [--experiment E] [--level L] [-n N] [--json]}: the last N stored lines, oldest first,
 * then with {@code -f} each new one as the leader stores it (asked for every second by the id of the last line seen,
 * so nothing is skipped or repeated, and a leader restart is waited out, said once).
 */
final class LogsCommand {
  static final String USAGE = "usage: pio logs [-f] [--unit U] [--experiment E] [--level DEBUG|INFO|NOTICE|WARNING|ERROR] [-n N] [--json]";
  private static final int PAGE = 1_000;

  private final LeaderClient leader;
  private final PrintStream out;
  private final PrintStream err;
  private final long pollMillis;

  LogsCommand(LeaderClient leader, PrintStream out, PrintStream err, long pollMillis) {
    this.leader = leader;
    this.out = out;
    this.err = err;
    this.pollMillis = pollMillis;
  }

  void run(List<String> words) {
    Args a = Args.parse(words, Set.of("--unit", "--experiment", "--level", "-n"), Set.of("-f", "--follow", "--json", "-h", "--help"));
    if (a.flag("-h") || a.flag("--help")) {
      out.println(USAGE);
      return;
    }
    a.atMost(0);
    StringBuilder filters = new StringBuilder();
    String unit = a.one("--unit");
    if (unit != null) {
      filters.append("&unit=").append(LeaderClient.segment(WorkersCommands.checkedUnit(unit)));
    }
    String experiment = a.one("--experiment");
    if (experiment != null) {
      Names.experimentNameProblem(experiment).ifPresent(p -> {
        throw CliException.usage("invalid experiment name: " + p);
      });
      filters.append("&experiment=").append(LeaderClient.segment(experiment));
    }
    String level = a.one("--level");
    if (level != null) {
      LogMessage.levelsFrom(level).orElseThrow(() -> CliException.usage("--level is one of " + LogMessage.LEVELS + ", not '" + level + "'"));
      filters.append("&min_level=").append(level.toUpperCase(java.util.Locale.ROOT));
    }
    int n = count(a.one("-n"));
    boolean json = a.flag("--json");
    JsonArray newestFirst = (JsonArray) leader.get("/api/logs?limit=" + n + filters);
    List<JsonObject> lines = new ArrayList<>();
    newestFirst.forEach(o -> lines.add((JsonObject) o));
    Collections.reverse(lines);
    long last = 0;
    for (JsonObject line : lines) {
      print(line, json);
      last = line.getLong("id", last);
    }
    out.flush();
    if (a.flag("-f") || a.flag("--follow")) {
      follow(last, filters.toString(), json);
    }
  }

  private static int count(String n) {
    if (n == null) {
      return 50;
    }
    try {
      int v = Integer.parseInt(n);
      if (v >= 1 && v <= PAGE) {
        return v;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw CliException.usage("-n takes a number of lines from 1 to " + PAGE);
  }

  /** Until interrupted (Ctrl-C ends the process): the lines after {@code last}, page by page. */
  private void follow(long last, String filters, boolean json) {
    boolean away = false;
    while (!Thread.currentThread().isInterrupted()) {
      try {
        JsonArray next = (JsonArray) leader.get("/api/logs?limit=" + PAGE + "&after_id=" + last + filters);
        if (away) {
          err.println("-- the leader answers again; following");
          away = false;
        }
        for (Object o : next) {
          JsonObject line = (JsonObject) o;
          print(line, json);
          last = line.getLong("id", last);
        }
        out.flush();
        if (next.size() == PAGE) {
          continue; // more waiting: no pause
        }
      } catch (CliException e) {
        if (e.exitCode != CliException.UNREACHABLE) {
          throw e;
        }
        if (!away) {
          err.println("-- " + e.getMessage() + "; trying again every second");
          away = true;
        }
      }
      try {
        Thread.sleep(pollMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void print(JsonObject line, boolean json) {
    if (json) {
      out.println(line.encode());
      return;
    }
    // Like upstream's `pio logs`: time, where, level, what; a unit's text passes through SafeTerminal (no escapes).
    out.println(line.getString("timestamp", "") + " [" + line.getString("pioreactor_unit", "") + "/"
        + line.getString("experiment", "") + "] " + String.valueOf(line.getString("level", "")).toUpperCase(java.util.Locale.ROOT)
        + " " + (line.getString("task") == null ? "" : line.getString("task") + ": ") + line.getString("message", ""));
  }
}
