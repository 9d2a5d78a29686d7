package io.pioreactor.leader.cli;

import static io.pioreactor.leader.cli.LeaderClient.segment;

import io.pioreactor.protocol.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/**
 * {@code pios reboot|shutdown [--units U]… [-y] [--json]}: every worker (or the named units) reboots or powers off, through
 * the leader's {@code POST /api/units/<u|$broadcast>/system/reboot|shutdown}. Asks first at a terminal; {@code --json}
 * prints one object a unit, as upstream ({@code {"unit", "status": "success"|"error", "error"?}}). True when every unit
 * said yes.
 */
final class PiosSystemCommand {
  private final LeaderClient leader;
  private final PrintStream out;
  private final Prompt prompt;

  PiosSystemCommand(LeaderClient leader, PrintStream out, Prompt prompt) {
    this.leader = leader;
    this.out = out;
    this.prompt = prompt;
  }

  boolean run(String action, List<String> words) {
    Prompt.Flags f = Prompt.Flags.take(words);
    Args a = Args.parse(f.rest(), Set.of("--units"));
    a.atMost(0);
    List<String> named = a.all("--units");
    named.forEach(WorkersCommands::checkedUnit);
    List<String> targets = named.isEmpty() ? List.of(Topics.BROADCAST) : named;
    int n = named.isEmpty() ? ((JsonArray) leader.get("/api/workers")).size() : named.size();
    boolean reboot = action.equals("reboot");
    prompt.confirm("Confirm " + (reboot ? "rebooting" : "shutting down") + " " + Prompt.units(n) + "?", f.yes());
    Table t = new Table("UNIT", "RESULT");
    boolean ok = true;
    for (String target : targets) {
      JsonObject r = (JsonObject) leader.send("POST", "/api/units/" + segment(target) + "/system/" + action, null);
      for (Object o : r.getJsonArray("results", new JsonArray())) {
        JsonObject x = (JsonObject) o;
        boolean yes = x.getBoolean("ok", false);
        ok &= yes;
        say(f.json(), t, x.getString("pioreactor_unit"), yes, yes ? (reboot ? "rebooting" : "shutting down") : "refused: " + x.getString("error"));
      }
      for (Object u : r.getJsonArray("no_answer", new JsonArray())) {
        ok = false;
        say(f.json(), t, String.valueOf(u), false, "no answer");
      }
    }
    if (!f.json()) {
      out.print(t.render());
    }
    return ok;
  }

  private void say(boolean json, Table t, String unit, boolean ok, String text) {
    if (json) {
      JsonObject line = new JsonObject().put("unit", unit).put("status", ok ? "success" : "error");
      out.println((ok ? line : line.put("error", text)).encode());
    } else {
      t.row(unit, text);
    }
  }
}
