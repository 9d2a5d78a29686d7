package io.pioreactor.leader.cli;

import static io.pioreactor.leader.cli.LeaderClient.segment;

import io.pioreactor.protocol.Names;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code pio workers …}: the inventory from the command line. */
final class WorkersCommands {
  static final String USAGE = """
      usage: pio workers add <hostname> [-a <ipv4>] [-m <model> -v <version>]
             pio workers remove <unit>
             pio workers rename <old> <new>     (the worker must be online; its history stays under <old>)
             pio workers update-active <unit> 0|1
             pio workers status
             pio workers assign <unit> <experiment>
             pio workers unassign <unit> [<experiment>]   (without one: from the experiment it is in)
             pio workers update-model <unit> --model-name N --model-version V   (-m, -v)
             pio workers discover""";

  private final LeaderClient leader;
  private final PrintStream out;

  WorkersCommands(LeaderClient leader, PrintStream out) {
    this.leader = leader;
    this.out = out;
  }

  void run(List<String> words) {
    if (words.isEmpty() || words.get(0).equals("--help")) {
      throw CliException.usage(USAGE);
    }
    List<String> rest = words.subList(1, words.size());
    switch (words.get(0)) {
      case "add" -> add(Args.parse(rest, Set.of("-a", "--address", "-m", "--model", "-v", "--version")));
      case "remove" -> remove(Args.parse(rest, Set.of()));
      case "rename" -> rename(Args.parse(rest, Set.of()));
      case "update-active" -> updateActive(Args.parse(rest, Set.of()));
      case "status" -> status(Args.parse(rest, Set.of()));
      case "assign" -> assign(Args.parse(rest, Set.of()));
      case "unassign" -> unassign(Args.parse(rest, Set.of()));
      case "discover" -> discover(Args.parse(rest, Set.of()));
      case "update-model" -> updateModel(Args.parse(rest, Set.of("-m", "--model-name", "-v", "--model-version")));
      default -> throw CliException.usage("unknown command 'workers " + words.get(0) + "'\n" + USAGE);
    }
  }

  static String unit(Args a, int i) {
    return checkedUnit(a.required(i, "worker name"));
  }

  /** {@code u} if it can be a unit's name; else a usage error (nothing is sent). */
  static String checkedUnit(String u) {
    Names.unitNameProblem(u).ifPresent(p -> {
      throw CliException.usage("invalid worker name '" + u + "': " + p);
    });
    return u;
  }

  private void add(Args a) {
    String name = unit(a, 0);
    a.atMost(1);
    String ipv4 = a.one("-a", "--address");
    String model = a.one("-m", "--model");
    String version = a.one("-v", "--version");
    if (ipv4 != null && !Names.isIpv4(ipv4)) {
      throw CliException.usage("invalid IPv4 address '" + ipv4 + "'");
    }
    if ((model == null) != (version == null)) {
      throw CliException.usage("give both -m and -v, or neither");
    }
    JsonObject body = new JsonObject().put("name", name);
    if (ipv4 != null) {
      body.put("ipv4_address", ipv4);
    }
    if (model != null) {
      body.put("model", model).put("version", version);
    }
    out.println("Adding " + name + ": checking the name, asking " + name + " to identify itself"
        + (ipv4 != null ? " from " + ipv4 : "") + "…");
    JsonObject res = (JsonObject) leader.send("POST", "/api/workers/setup", body);
    JsonObject w = res.getJsonObject("worker", new JsonObject());
    out.println(name + " added to the inventory (" + w.getString("model_name", "?") + " " + w.getString("model_version", "")
        + ", " + w.getString("ipv4_address", "no address") + ").");
  }

  private void remove(Args a) {
    String u = unit(a, 0);
    a.atMost(1);
    leader.send("DELETE", "/api/workers/" + segment(u), null);
    out.println(u + " removed from the inventory; its history is kept.");
  }

  private void rename(Args a) {
    String old = unit(a, 0);
    String renamed = unit(a, 1);
    a.atMost(2);
    out.println("Asking " + old + " to rename itself to " + renamed + "…");
    leader.send("POST", "/api/workers/" + segment(old) + "/rename", new JsonObject().put("new_name", renamed));
    out.println(old + " is now " + renamed + " (in the inventory, unassigned). " + old + "'s history is kept under " + old + ".");
  }

  private void updateActive(Args a) {
    String u = unit(a, 0);
    String flag = a.required(1, "0 or 1");
    a.atMost(2);
    if (!flag.equals("0") && !flag.equals("1")) {
      throw CliException.usage("update-active takes 0 or 1, not '" + flag + "'");
    }
    leader.send("PUT", "/api/workers/" + segment(u) + "/is_active", new JsonObject().put("is_active", Integer.parseInt(flag)));
    out.println(u + " is now " + (flag.equals("1") ? "active" : "inactive (its activities are halted)") + ".");
  }

  private void status(Args a) {
    a.atMost(0);
    JsonObject health = (JsonObject) leader.get("/api/health");
    JsonArray workers = (JsonArray) leader.get("/api/workers");
    String leaderUnit = health.getString("unit");
    Table t = new Table("UNIT", "LEADER", "IPV4", "STATE", "ACTIVE", "REACHABLE", "VERSION", "EXPERIMENT", "HEALTH", "CLOCK");
    boolean leaderListed = false;
    for (Object o : workers) {
      JsonObject w = (JsonObject) o;
      boolean isLeader = w.getString("pioreactor_unit").equals(leaderUnit);
      leaderListed |= isLeader;
      JsonObject versions = w.getJsonObject("versions");
      t.row(w.getString("pioreactor_unit"), isLeader ? "yes (also a worker)" : "", w.getString("ipv4_address"),
          or(w.getString("state"), "never seen"), w.getInteger("is_active") == 1 ? "yes" : "no", reachable(w),
          versions == null ? null : versions.getString("app"), or(w.getString("experiment"), "(unassigned)"),
          HealthText.of(w), ClockSyncCommand.cell(w.getJsonObject("clock")));
    }
    if (!leaderListed) {
      t.row(leaderUnit, "yes (leader only)", null, "-", "-", "yes", null, "(not a worker)", "-", "(the reference)");
    }
    out.print(t.render());
  }

  /** Connected to the broker now, as the leader hears it: the unit's monitor is up (its last will has not fired). */
  private static String reachable(JsonObject w) {
    String state = w.getString("state");
    return state != null && java.util.List.of("ready", "init", "sleeping").contains(state) ? "yes" : "no";
  }

  private static String or(String v, String dflt) {
    return v == null ? dflt : v;
  }

  private void assign(Args a) {
    String u = unit(a, 0);
    String e = a.required(1, "experiment");
    a.atMost(2);
    leader.send("PUT", "/api/experiments/" + segment(e) + "/workers", new JsonObject().put("pioreactor_unit", u));
    out.println(u + " assigned to " + e + ".");
  }

  private void unassign(Args a) {
    String u = unit(a, 0);
    a.atMost(2);
    if (a.positional.size() == 2) { // upstream's form: from that experiment (404 when it is not assigned there)
      String e = a.positional.get(1);
      Names.experimentNameProblem(e).ifPresent(p -> {
        throw CliException.usage("invalid experiment name '" + e + "': " + p);
      });
      leader.send("DELETE", "/api/experiments/" + segment(e) + "/workers/" + segment(u), null);
      out.println(u + " unassigned from " + e + ".");
      return;
    }
    JsonObject current;
    try {
      current = (JsonObject) leader.get("/api/workers/" + segment(u) + "/experiment");
    } catch (CliException e) {
      throw new CliException(CliException.REFUSED, e.getMessage());
    }
    String exp = current.getString("experiment");
    leader.send("DELETE", "/api/experiments/" + segment(exp) + "/workers/" + segment(u), null);
    out.println(u + " unassigned from " + exp + ".");
  }

  /** Upstream's {@code pio workers update-model}: the leader checks the model against its list ({@code GET /api/models}). */
  private void updateModel(Args a) {
    String u = unit(a, 0);
    a.atMost(1);
    String name = a.one("-m", "--model-name");
    String version = a.one("-v", "--model-version");
    if (name == null || version == null || name.isBlank() || version.isBlank()) {
      throw CliException.usage("usage: pio workers update-model <unit> --model-name N --model-version V");
    }
    leader.send("PUT", "/api/workers/" + segment(u) + "/model", new JsonObject().put("model_name", name).put("model_version", version));
    out.println("Updated " + u + " to " + name + " v" + version + ".");
  }

  private void discover(Args a) {
    a.atMost(0);
    JsonArray found = (JsonArray) leader.get("/api/workers/discover");
    if (found.isEmpty()) {
      out.println("No workers found that are not already in the inventory.");
      return;
    }
    Table t = new Table("UNIT", "IPV4", "MODEL");
    found.forEach(o -> {
      JsonObject d = (JsonObject) o;
      t.row(d.getString("pioreactor_unit"), d.getString("ipv4_address"), d.getString("model_name"));
    });
    out.print(t.render());
  }

  /** {@code --units U1,U2} (or repeated), each name checked; none given: empty, meaning {@code everyone}. */
  static List<String> unitsOption(Args a, String everyone) {
    List<String> units = new ArrayList<>();
    for (String given : a.all("--units")) {
      for (String u : given.split(",")) {
        if (!u.isBlank()) {
          units.add(checkedUnit(u.strip()));
        }
      }
    }
    if (units.isEmpty() && !a.all("--units").isEmpty()) {
      throw CliException.usage("--units names units (U1,U2); leave it out for " + everyone);
    }
    return units;
  }
}
