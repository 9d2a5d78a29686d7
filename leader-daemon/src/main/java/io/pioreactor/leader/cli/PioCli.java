package io.pioreactor.leader.cli;

import static io.pioreactor.leader.cli.LeaderClient.segment;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code pio} and {@code pios}: the cluster from the command line, through the leader's REST API.
 * Exit codes: 0 done, 1 refused by the leader, 2 usage, 3 leader unreachable.
 */
public final class PioCli {
  static final String USAGE = """
      usage: pio [--leader URL] <command>
        pio workers add|remove|update-active|status|assign|unassign|discover …   (pio workers --help)
        pio blink [unit]                      identify: the unit's HAT LED blinks
        pio experiments create|list …          (pio experiments --help)
        pio mqtt [-t topic] [--broker host:port]   print topics and payloads live
        pio logs [-f] [--unit U] [--experiment E] [--level L] [-n N] [--json]   stored log lines; -f: then follow
        pio run <job> [--unit U] [--experiment E] [--<option> value]…   start a job on one unit (default: this host)
        pio run self_test [--unit U]          the unit's self test: waits, prints each check; exit 1 if one failed
        pio kill (--job-name J | --job-source S | --all-jobs) [--experiment E] [--unit U]
        pio run experiment_profile execute <file.yaml> <experiment> [--dry-run] [--detach]   (also: stop, upload, list)
        pios run <job> [--units U]… [--experiments E]… [-y] [--json] [--<option> value]…   start on active assigned workers
        pios kill (--job-name J | --job-source S | --all-jobs) [--experiment E] [--units U]… [-y] [--json]
        (pios asks "Confirm … on N units? [y/N]" at a terminal; -y/--yes skips it)
        pios reboot|shutdown [--units U]… [-y] [--json]   reboot or power off units (all workers when none is named)
        pios sync-configs [--units U1,U2] [--timeout S]   send the units their configuration again, wait for their answers
        pios sync-clocks [--units U1,U2]      units step their clocks to the leader's: offsets before and after
        pio config show [--unit U [--merged]]   the shared configuration, U's specific one, or what U runs (pio config --help)
        pio config edit [--unit U] [--from FILE] [--yes]   in $EDITOR (default vi); shows the diff, asks, then saves
        pio config set SECTION.KEY VALUE [--unit U]   one option (the key is after the last dot), every other line kept
        pio export <experiment> [--dataset TABLE]… [-o FILE]   the experiment's readings as CSV (default: every table)
        pio leader export FILE | import FILE  move the leader role: its database, to a new host
        pio credentials NAME --file PASSWD    a new broker password for a unit (on the leader, in the broker's password file)
      The leader is --leader URL, else $PIO_LEADER_URL, else /etc/pioreactor/leader.json, else http://localhost:8080.""";

  private PioCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.in, System.out, System.err, System.getenv()));
  }

  public static int run(String[] argv, PrintStream rawOut, PrintStream rawErr, Map<String, String> env) {
    return run(argv, System.in, rawOut, rawErr, env);
  }

  /** {@code in}: where answers to questions come from (pio config edit asks before it saves). */
  public static int run(String[] argv, InputStream in, PrintStream rawOut, PrintStream rawErr, Map<String, String> env) {
    PrintStream out = SafeTerminal.wrap(rawOut);
    PrintStream err = SafeTerminal.wrap(rawErr);
    List<String> words = new ArrayList<>(List.of(argv));
    try {
      String url = null;
      if (words.size() >= 2 && words.get(0).equals("--leader")) {
        url = words.get(1);
        words = words.subList(2, words.size());
      }
      if (words.isEmpty() || words.get(0).equals("--help") || words.get(0).equals("-h") || words.get(0).equals("help")) {
        out.println(USAGE);
        return words.isEmpty() ? CliException.USAGE : 0;
      }
      if (words.get(0).equals("credentials")) {
        CredentialsCommand.run(words.subList(1, words.size()), out); // local: the password file, no leader
        return 0;
      }
      LeaderClient leader = new LeaderClient(url != null ? url : leaderUrl(env), env);
      List<String> rest = words.subList(1, words.size());
      switch (words.get(0)) {
        case "workers" -> new WorkersCommands(leader, out).run(rest);
        case "experiments" -> new ExperimentsCommands(leader, out).run(rest);
        case "config" -> new ConfigCommands(leader, out, err, in, env).run(rest);
        case "blink" -> blink(leader, rest, out);
        case "leader" -> leaderState(leader, rest, out);
        case "export" -> exportExperiment(leader, rest, out);
        case "mqtt" -> MqttWatch.run(leader, rest, out, env);
        case "logs" -> new LogsCommand(leader, out, err, 1_000).run(rest);
        case "pios" -> {
          return pios(leader, rest, out, Prompt.atTerminal(in, out)) ? 0 : CliException.REFUSED;
        }
        case "run" -> {
          if (!rest.isEmpty() && rest.get(0).equals("experiment_profile")) {
            new ProfilesCommands(leader, out).run(rest.subList(1, rest.size()));
          } else {
            new JobsCommands(leader, out, Prompt.atTerminal(in, out)).runOnUnit(rest);
          }
        }
        case "kill" -> {
          return new JobsCommands(leader, out, Prompt.atTerminal(in, out)).kill(rest, true) ? 0 : CliException.REFUSED;
        }
        default -> throw CliException.usage("unknown command '" + words.get(0) + "'\n" + USAGE);
      }
      return 0;
    } catch (CliException e) {
      err.println((e.exitCode == CliException.USAGE ? "" : "error: ") + e.getMessage());
      return e.exitCode;
    }
  }

  static String leaderUrl(Map<String, String> env) {
    String url = env.get("PIO_LEADER_URL");
    if (url != null && !url.isBlank()) {
      return url;
    }
    Path conf = Path.of("/etc/pioreactor/leader.json");
    try {
      if (Files.isReadable(conf)) {
        int port = new JsonObject(Files.readString(conf)).getJsonObject("http", new JsonObject()).getInteger("port", 8080);
        return "http://localhost:" + port;
      }
    } catch (Exception e) {
      // an unreadable local config: fall back to the default
    }
    return "http://localhost:8080";
  }

  /** {@code pio export <experiment>}: its readings as CSV, streamed to a file (written whole or not at all). */
  private static void exportExperiment(LeaderClient leader, List<String> words, PrintStream out) {
    Args a = Args.parse(words, Set.of("--dataset", "-o", "--output"));
    a.atMost(1);
    String experiment = a.required(0, "experiment name");
    io.pioreactor.protocol.Names.experimentNameProblem(experiment).ifPresent(p -> {
      throw CliException.usage("invalid experiment name: " + p);
    });
    List<String> datasets = a.all("--dataset");
    for (String d : datasets) {
      if (!d.matches("[a-z_]{1,64}")) {
        throw CliException.usage("a dataset is a table name such as od_readings, not '" + d + "'");
      }
    }
    String output = a.one("-o", "--output");
    Path file = Path.of(output != null ? output : experiment.replaceAll("[^A-Za-z0-9_.-]", "_") + ".csv");
    StringBuilder query = new StringBuilder();
    datasets.forEach(d -> query.append(query.length() == 0 ? "?" : "&").append("dataset=").append(d));
    leader.download("/api/experiments/" + LeaderClient.segment(experiment) + "/export" + query, file);
    out.println("Readings of '" + experiment + "' written to " + file + ".");
  }

  /** {@code pio leader export FILE} on the old leader, {@code pio leader import FILE} on the new one. */
  private static void leaderState(LeaderClient leader, List<String> words, PrintStream out) {
    Args a = Args.parse(words, Set.of());
    a.atMost(2);
    String what = a.required(0, "export or import");
    Path file = Path.of(a.required(1, "a file"));
    if (what.equals("export")) {
      leader.download("/api/leader/export", file);
      out.println("Leader state written to " + file + ". On the new leader: pio leader import " + file.getFileName());
    } else if (what.equals("import")) {
      if (!Files.isReadable(file)) {
        throw CliException.usage("cannot read " + file);
      }
      JsonObject r = (JsonObject) leader.upload("/api/leader/import", file);
      out.println("Imported: " + r.getInteger("workers") + " workers. " + r.getString("message") + ".");
    } else {
      throw CliException.usage("usage: pio leader export|import FILE");
    }
  }

  private static void blink(LeaderClient leader, List<String> words, PrintStream out) {
    Args a = Args.parse(words, Set.of());
    a.atMost(1);
    String unit = a.positional.isEmpty() ? ((JsonObject) leader.get("/api/health")).getString("unit") : WorkersCommands.unit(a, 0);
    leader.send("POST", "/api/workers/" + segment(unit) + "/blink", null);
    out.println("Identify sent: " + unit + "'s LED blinks.");
  }

  private static boolean pios(LeaderClient leader, List<String> words, PrintStream out, Prompt prompt) {
    if (!words.isEmpty() && words.get(0).equals("run")) {
      return new JobsCommands(leader, out, prompt).runOnCluster(words.subList(1, words.size()));
    }
    if (!words.isEmpty() && words.get(0).equals("kill")) {
      return new JobsCommands(leader, out, prompt).kill(words.subList(1, words.size()), false);
    }
    if (!words.isEmpty() && words.get(0).equals("sync-configs")) {
      new ConfigSyncCommand(leader, out).run(words.subList(1, words.size()));
      return true;
    }
    if (!words.isEmpty() && words.get(0).equals("sync-clocks")) {
      new ClockSyncCommand(leader, out).run(words.subList(1, words.size()));
      return true;
    }
    if (words.isEmpty() || !(words.get(0).equals("reboot") || words.get(0).equals("shutdown"))) {
      throw CliException.usage("usage: pios run|kill|reboot|shutdown|sync-configs|sync-clocks …");
    }
    return new PiosSystemCommand(leader, out, prompt).run(words.get(0), words.subList(1, words.size()));
  }
}
