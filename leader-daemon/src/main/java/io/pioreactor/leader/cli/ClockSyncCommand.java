package io.pioreactor.leader.cli;

import io.pioreactor.leader.clocks.ClockOffsets;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code pios sync-clocks [--units U1,U2 | --units U1 --units U2]}: each unit steps its clock to the leader's (its
 * {@code clock_sync_command}), and the leader measures it before and after. One row per unit; any unit beyond the
 * leader's {@code clocks.max_offset_s} afterwards (or not measured) makes the command fail.
 */
final class ClockSyncCommand {
  static final String USAGE = "usage: pios sync-clocks [--units U1,U2 | --units U1 --units U2]"
      + "   (every connected unit in the inventory when none is named)";

  private final LeaderClient leader;
  private final PrintStream out;

  ClockSyncCommand(LeaderClient leader, PrintStream out) {
    this.leader = leader;
    this.out = out;
  }

  void run(List<String> words) {
    if (words.contains("--help")) {
      throw CliException.usage(USAGE);
    }
    Args a = Args.parse(words, Set.of("--units"));
    a.atMost(0);
    List<String> units = WorkersCommands.unitsOption(a, "every connected unit");
    out.println("Syncing the clocks of " + (units.isEmpty() ? "every connected unit in the inventory" : String.join(", ", units))
        + " to the leader's…");
    JsonObject answer = (JsonObject) leader.send("POST", "/api/clocks/sync", new JsonObject().put("units", new JsonArray(units)));
    JsonArray results = answer.getJsonArray("results", new JsonArray());
    Table t = new Table("UNIT", "BEFORE", "AFTER", "RESULT");
    List<String> off = new ArrayList<>();
    for (Object o : results) {
      JsonObject r = (JsonObject) o;
      String u = r.getString("pioreactor_unit");
      boolean within = Boolean.TRUE.equals(r.getBoolean("within_threshold"));
      String result = r.getString("error") != null ? "not synced: " + r.getString("error")
          : within ? "ok" : "synced, but still beyond the threshold";
      t.row(u, offset(r.getJsonObject("before")), offset(r.getJsonObject("after")), result);
      if (!within) {
        off.add(u);
      }
    }
    out.print(results.isEmpty() ? "No connected units in the inventory.\n" : t.render());
    if (!off.isEmpty()) {
      throw new CliException(CliException.REFUSED, off.size() + " of " + results.size() + (results.size() == 1 ? " unit" : " units")
          + (off.size() == 1 ? " is" : " are") + " not within " + answer.getValue("max_offset_s") + " s of the leader's clock: "
          + String.join(", ", off) + " (check chrony on each: chronyc sources; and clock_sync_command in its config)");
    }
  }

  /** The status table's cell: the offset, marked when beyond the leader's threshold ({@code +30.0 s (off)}). */
  static String cell(JsonObject clock) {
    String o = offset(clock);
    return o == null || !Boolean.FALSE.equals(clock.getBoolean("within_threshold")) ? o : o + " (off)";
  }

  /** A {@code clock} object's offset as {@code +0.002 s}, or {@code -} when unmeasured. */
  static String offset(JsonObject clock) {
    return clock == null || clock.getValue("offset_ms") == null ? null : ClockOffsets.seconds(clock.getDouble("offset_ms"));
  }
}
