package io.pioreactor.leader.cli;

import io.pioreactor.protocol.config.Ini;
import io.pioreactor.protocol.config.IniException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code pio config show|edit|set}: the cluster configuration, the shared INI every unit runs and each unit's specific
 * one on top, read and written whole through the leader, which checks an edit before it stores anything.
 */
final class ConfigCommands {
  static final String USAGE = """
      usage: pio config show [--unit U] [--merged]
               the shared configuration; with --unit, U's specific one; with --unit U --merged, what U runs
             pio config edit [--unit U] [--from FILE] [--yes]
               edit it in $EDITOR (default vi), or take FILE's text instead; shows the diff and asks before saving
               (--yes: without asking). A refused edit is kept in a file: fix it, then pio config edit --from FILE
             pio config set SECTION.KEY VALUE [--unit U]
               set one option, every other line kept; the key is after the last dot: stirring.config.initial_target_rpm""";

  private final LeaderClient leader;
  private final PrintStream out;
  private final PrintStream err;
  private final InputStream in;
  private final Map<String, String> env;

  ConfigCommands(LeaderClient leader, PrintStream out, PrintStream err, InputStream in, Map<String, String> env) {
    this.leader = leader;
    this.out = out;
    this.err = err;
    this.in = in;
    this.env = env;
  }

  void run(List<String> words) {
    if (words.isEmpty() || words.get(0).equals("--help")) {
      throw CliException.usage(USAGE);
    }
    List<String> rest = words.subList(1, words.size());
    switch (words.get(0)) {
      case "show" -> show(Args.parse(rest, Set.of("--unit"), Set.of("--merged")));
      case "edit" -> edit(Args.parse(rest, Set.of("--unit", "--from"), Set.of("--yes", "-y")));
      case "set" -> set(Args.parse(rest, Set.of("--unit")));
      default -> throw CliException.usage("unknown command 'config " + words.get(0) + "'\n" + USAGE);
    }
  }

  private void show(Args a) {
    a.atMost(0);
    ConfigTarget target = ConfigTarget.of(a.one("--unit"));
    if (a.flag("--merged")) {
      if (target.shared()) {
        throw CliException.usage("--merged needs --unit U: the configuration U runs, the shared one with U's on top");
      }
      JsonObject r = (JsonObject) leader.get("/api/config/units/" + LeaderClient.segment(target.unit()));
      Object error = r.getJsonObject("errors", new JsonObject()).getValue(target.unit());
      JsonObject sections = r.getJsonObject("configs", new JsonObject()).getJsonObject(target.unit());
      if (error != null || sections == null) {
        throw new CliException(CliException.REFUSED, "the leader has no merged configuration for " + target.unit()
            + (error != null ? ": " + error : ""));
      }
      out.print(MergedConfigText.of(sections));
      return;
    }
    String text = target.read(leader);
    if (text.isEmpty()) {
      // On stderr: stdout stays exactly the file (empty), for pipes and redirects.
      err.println(target.unit() + " has no specific configuration: it runs the shared one as it is"
          + " (pio config show --unit " + target.unit() + " --merged).");
      return;
    }
    out.print(withNewline(text));
  }

  private void set(Args a) {
    String dotted = a.required(0, "SECTION.KEY");
    String value = a.required(1, "a value");
    a.atMost(2);
    int dot = dotted.lastIndexOf('.');
    if (dot <= 0 || dot == dotted.length() - 1) {
      throw CliException.usage("say SECTION.KEY, e.g. stirring.config.initial_target_rpm (section stirring.config, "
          + "key initial_target_rpm: the key is after the last dot), not '" + dotted + "'");
    }
    String section = dotted.substring(0, dot);
    String key = dotted.substring(dot + 1);
    ConfigTarget target = ConfigTarget.of(a.one("--unit"));
    String text = target.read(leader);
    Ini before;
    try {
      before = Ini.parse(text);
    } catch (IniException e) {
      throw new CliException(CliException.REFUSED, target.describe() + " on the leader does not parse (" + e.getMessage()
          + "); fix it with pio config edit" + target.option());
    }
    Optional<String> old = before.get(section, key);
    if (old.isPresent() && old.get().equals(value)) {
      out.println("[" + section + "] " + key + " is " + value + " already; nothing changed.");
      return;
    }
    Ini after;
    try {
      after = before.with(section, key, value);
    } catch (IniException e) {
      throw CliException.usage(e.getMessage());
    }
    try {
      target.write(leader, after.text());
    } catch (CliException e) {
      throw e.exitCode == CliException.REFUSED ? new CliException(CliException.REFUSED, ConfigRefusal.describe(e, after.text(), target)) : e;
    }
    out.println(target.describe() + ": [" + section + "] " + key + ": " + old.orElse("(not set)") + " → " + value);
  }

  private void edit(Args a) {
    a.atMost(0);
    ConfigTarget target = ConfigTarget.of(a.one("--unit"));
    String from = a.one("--from");
    boolean askFirst = !a.flag("--yes") && !a.flag("-y");
    Path file = from != null ? Path.of(from) : null;
    String given = file != null ? readFile(file) : null; // before asking the leader: a wrong path is a usage error
    String current = target.read(leader);
    if (file == null) {
      file = tempCopy(current);
      try {
        Editor.fromEnvironment(env).edit(file);
      } catch (CliException e) {
        if (e.exitCode == CliException.USAGE) { // it never started: nothing was edited
          deleteQuietly(file);
          throw e;
        }
        // It failed after it ran (vi's :cq): the file may hold work.
        throw new CliException(e.exitCode, e.getMessage() + "\nNothing was applied." + keptIn(file, target));
      }
      given = readFile(file);
    }
    String edited = normalized(given);
    if (edited.equals(normalized(current))) {
      out.println("No changes: " + target.describe() + " is as it was" + (from != null ? " (" + file + " matches it)." : "."));
      if (from == null) {
        deleteQuietly(file);
      }
      return;
    }
    out.print(LineDiff.unified(normalized(current), edited, target.describe() + " (on the leader)", file.toString()));
    if (askFirst && !confirmed("apply? [y/N] ")) {
      throw new CliException(CliException.REFUSED, "not applied (the answer was not yes).\nYour edit is in " + file
          + "; to apply it later: pio config edit" + target.option() + " --from " + file);
    }
    try {
      target.write(leader, edited);
    } catch (CliException e) {
      String why = e.exitCode == CliException.REFUSED ? ConfigRefusal.describe(e, edited, target) : e.getMessage();
      throw new CliException(e.exitCode, why + keptIn(file, target));
    }
    if (from == null) {
      deleteQuietly(file);
    }
    out.println("Saved " + target.describe() + ". The units get it now; pios sync-configs waits for their answers.");
  }

  /** The hint after an edit that was not applied: where the edit is, and how to try it again. */
  private static String keptIn(Path file, ConfigTarget target) {
    return "\nYour edit is in " + file + ": fix it, then pio config edit" + target.option() + " --from " + file;
  }

  /** A private temporary copy to edit (created rw for its owner only: the shared text holds the browsers' broker password). */
  private static Path tempCopy(String text) {
    try {
      Path file = Files.createTempFile("pio-config-", ".ini");
      Files.writeString(file, text, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new CliException(CliException.REFUSED, "cannot write a temporary file to edit: " + e.getMessage());
    }
  }

  private static String readFile(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw CliException.usage("cannot read " + file + " (" + e.getMessage() + ")");
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a temporary file left behind: harmless
    }
  }

  /** Asks on the terminal; only y or yes (any case) is a yes. No answer (stdin closed) is a no. */
  private boolean confirmed(String question) {
    out.print(question);
    out.flush();
    String answer;
    try {
      answer = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
    } catch (IOException e) {
      answer = null;
    }
    if (answer == null) {
      out.println();
      err.println("No answer (stdin is closed); --yes applies without asking.");
      return false;
    }
    return answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes");
  }

  /** Line endings as the leader stores them, and a final newline: so only real edits count as changes. */
  private static String normalized(String text) {
    String t = text.replace("\r\n", "\n");
    return withNewline(t);
  }

  private static String withNewline(String text) {
    return text.isEmpty() || text.endsWith("\n") ? text : text + "\n";
  }
}
