package io.pioreactor.leader.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code pios sync-configs [--units U1,U2 | --units U1 --units U2] [--timeout SECONDS]}: the leader sends the units
 * their configuration again and waits for each to say what it did with it. One row per unit; any unit not running the
 * current version (it refused it, or did not answer in time) makes the command fail.
 */
final class ConfigSyncCommand {
  static final String USAGE = "usage: pios sync-configs [--units U1,U2 | --units U1 --units U2] [--timeout SECONDS]"
      + "   (every unit in the inventory when none is named; --timeout 1-60, default 15)";
  static final double DEFAULT_TIMEOUT_S = 15;
  /** The leader waits at most this long (ConfigRoutes.MAX_SYNC_WAIT_MS). */
  static final double MAX_TIMEOUT_S = 60;

  private final LeaderClient leader;
  private final PrintStream out;

  ConfigSyncCommand(LeaderClient leader, PrintStream out) {
    this.leader = leader;
    this.out = out;
  }

  void run(List<String> words) {
    if (words.contains("--help")) {
      throw CliException.usage(USAGE);
    }
    Args a = Args.parse(words, Set.of("--units", "--timeout"));
    a.atMost(0);
    List<String> units = WorkersCommands.unitsOption(a, "every unit in the inventory");
    double timeout = timeout(a.one("--timeout"));
    out.println("Sending " + (units.isEmpty() ? "every unit in the inventory" : String.join(", ", units))
        + " the configuration again; waiting up to " + seconds(timeout) + " s for each answer…");
    JsonObject body = new JsonObject().put("units", new JsonArray(units))
        .put("timeout_seconds", timeout == Math.rint(timeout) ? (Object) (long) timeout : (Object) timeout);
    JsonArray results = ((JsonObject) leader.send("POST", "/api/config/sync", body)).getJsonArray("results", new JsonArray());
    Table t = new Table("UNIT", "VERSION", "STATE", "REASON", "JOBS ON AN OLDER VERSION");
    List<String> notCurrent = new ArrayList<>();
    for (Object o : results) {
      JsonObject r = (JsonObject) o;
      // Running jobs keep the values they started with: say which, so a lab knows what to restart.
      JsonObject older = r.getJsonObject("jobs_on_older", new JsonObject());
      t.row(r.getString("pioreactor_unit"), r.getString("version"), r.getString("state"), r.getString("reason"),
          older.isEmpty() ? "" : String.join(", ", new java.util.TreeSet<>(older.fieldNames())));
      if (!"current".equals(r.getString("state"))) {
        notCurrent.add(r.getString("pioreactor_unit") + " (" + r.getString("state") + ")");
      }
    }
    out.print(results.isEmpty() ? "No units in the inventory.\n" : t.render());
    if (!notCurrent.isEmpty()) {
      throw new CliException(CliException.REFUSED, notCurrent.size() + " of " + results.size()
          + (results.size() == 1 ? " unit" : " units") + (notCurrent.size() == 1 ? " is" : " are") + " not running the current configuration: "
          + String.join(", ", notCurrent));
    }
  }

  private static double timeout(String given) {
    if (given == null) {
      return DEFAULT_TIMEOUT_S;
    }
    double t;
    try {
      t = Double.parseDouble(given);
    } catch (NumberFormatException e) {
      t = Double.NaN;
    }
    if (!(t > 0 && t <= MAX_TIMEOUT_S)) {
      throw CliException.usage("--timeout is a number of seconds, more than 0 and at most " + seconds(MAX_TIMEOUT_S)
          + ", not '" + given + "'");
    }
    return t;
  }

  private static String seconds(double s) {
    return s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s);
  }
}
