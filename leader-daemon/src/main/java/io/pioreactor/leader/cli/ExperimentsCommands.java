package io.pioreactor.leader.cli;

import io.pioreactor.protocol.Names;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/** {@code pio experiments create|list}. */
final class ExperimentsCommands {
  static final String USAGE = """
      usage: pio experiments create <name> [-d <description>]
             pio experiments list""";

  private final LeaderClient leader;
  private final PrintStream out;

  ExperimentsCommands(LeaderClient leader, PrintStream out) {
    this.leader = leader;
    this.out = out;
  }

  void run(List<String> words) {
    if (words.isEmpty() || words.get(0).equals("--help")) {
      throw CliException.usage(USAGE);
    }
    Args a = Args.parse(words.subList(1, words.size()), Set.of("-d", "--description"));
    switch (words.get(0)) {
      case "create" -> {
        String name = a.required(0, "experiment name");
        a.atMost(1);
        Names.experimentNameProblem(name).ifPresent(p -> {
          throw CliException.usage("invalid experiment name: " + p);
        });
        JsonObject body = new JsonObject().put("experiment", name);
        String d = a.one("-d", "--description");
        if (d != null) {
          body.put("description", d);
        }
        leader.send("POST", "/api/experiments", body);
        out.println("Experiment '" + name + "' created.");
      }
      case "list" -> {
        a.atMost(0);
        Table t = new Table("EXPERIMENT", "CREATED", "WORKERS", "DESCRIPTION");
        ((JsonArray) leader.get("/api/experiments")).forEach(o -> {
          JsonObject e = (JsonObject) o;
          t.row(e.getString("experiment"), e.getString("created_at"), e.getInteger("worker_count"), e.getString("description"));
        });
        out.print(t.render());
      }
      default -> throw CliException.usage("unknown command 'experiments " + words.get(0) + "'\n" + USAGE);
    }
  }
}
