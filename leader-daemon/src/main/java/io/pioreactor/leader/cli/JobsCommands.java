package io.pioreactor.leader.cli;

import static io.pioreactor.leader.cli.LeaderClient.segment;

import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.daemon.Daemons;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code pios run|kill} over the cluster and {@code pio run|kill} on one unit. Job options are upstream's
 * {@code --target-rpm 400} (sent as {@code target_rpm}); inactive and unassigned workers are skipped and named.
 */
final class JobsCommands {
  private final LeaderClient leader;
  private final PrintStream out;
  private final Prompt prompt;

  JobsCommands(LeaderClient leader, PrintStream out, Prompt prompt) {
    this.leader = leader;
    this.out = out;
    this.prompt = prompt;
  }

  /**
   * {@code pios run <job> [--units U]… [--experiments E]… [-y] [--json] [--<option> value]…}; true when nothing failed.
   * Asks first at a terminal ({@link Prompt}); {@code --json}: one object a unit ({@code {unit, experiment, status}}).
   */
  boolean runOnCluster(List<String> words) {
    Prompt.Flags f = Prompt.Flags.take(words);
    Parsed p = Parsed.of(f.rest(), List.of("--units", "--experiments"));
    String job = p.job("pios run <job> [--units U]… [--experiments E]… [-y] [--json] [--<option> value]…");
    Result t = new Result(f.json(), "UNIT", "EXPERIMENT", "RESULT");
    List<String[]> toStart = new ArrayList<>();
    for (JsonObject w : targets(p.fixed.getOrDefault("--units", List.of()))) {
      String unit = w.getString("pioreactor_unit");
      String exp = w.getString("experiment");
      List<String> only = p.fixed.getOrDefault("--experiments", List.of());
      if (w.getBoolean("missing", false)) {
        t.skipped(unit, "-", "not in the inventory");
      } else if (w.getInteger("is_active", 1) == 0) {
        t.skipped(unit, exp, "inactive");
      } else if (exp == null) {
        t.skipped(unit, "-", "not assigned to an experiment");
      } else if (!only.isEmpty() && !only.contains(exp)) {
        t.skipped(unit, exp, "not in " + String.join(", ", only));
      } else {
        toStart.add(new String[] {unit, exp});
      }
    }
    if (!toStart.isEmpty()) {
      prompt.confirm("Confirm running " + job + " on " + Prompt.units(toStart.size()) + "?", f.yes());
    }
    boolean ok = true;
    for (String[] u : toStart) {
      ok &= start(t, u[0], u[1], job, p.options);
    }
    t.print(out);
    return ok;
  }

  /** {@code pio run <job> [--unit U] [--experiment E] [--<option> value]…}. */
  boolean runOnUnit(List<String> rawWords) {
    // upstream's `pio run self_test --retry-failed` is a flag: it takes no value
    List<String> words = new ArrayList<>(rawWords);
    boolean retryFailed = words.remove("--retry-failed");
    Parsed p = Parsed.of(words, List.of("--unit", "--experiment"));
    if (retryFailed) {
      p.options.putNull("retry-failed");
    }
    String job = p.job("pio run <job> [--unit U] [--experiment E] [--<option> value]…");
    String unit = p.last("--unit", Daemons.hostname("localhost"));
    String exp = p.last("--experiment", null);
    boolean selfTest = Jobs.SELF_TEST.equals(job);
    if (exp == null && selfTest) {
      exp = Topics.UNIT_LEVEL; // the unit's own job, whatever experiment it is in (as upstream runs it)
    }
    if (exp == null) {
      exp = ((JsonObject) leader.get("/api/workers/" + segment(unit))).getString("experiment");
      if (exp == null) {
        throw new CliException(CliException.REFUSED, unit + " is not assigned to an experiment: pio workers assign " + unit + " <experiment>");
      }
    }
    Result t = new Result(false, "UNIT", "EXPERIMENT", "RESULT");
    SelfTestWait wait = selfTest ? new SelfTestWait(leader, out) : null;
    String before = selfTest ? wait.lastAt(unit) : null;
    boolean ok = start(t, unit, exp, job, p.options);
    t.print(out);
    if (!ok) {
      throw new CliException(CliException.REFUSED, "the job did not start (see above)");
    }
    if (selfTest) {
      wait.await(unit, before);
    }
    return true;
  }

  /**
   * {@code pios kill [--job-name J] [--job-source S] [--experiment E] [--all-jobs] [--units U]… [-y] [--json]} (and {@code pio kill} with
   * --unit, which does not ask).
   */
  boolean kill(List<String> rawWords, boolean oneUnit) {
    Prompt.Flags f = Prompt.Flags.take(rawWords);
    List<String> words = f.rest();
    boolean all = words.contains("--all-jobs"); // a flag: it takes no value
    Args a = Args.parse(words.stream().filter(w -> !w.equals("--all-jobs")).toList(),
        java.util.Set.of("--job-name", "--experiment", "--job-source", oneUnit ? "--unit" : "--units"));
    a.atMost(0);
    String job = a.one("--job-name");
    String exp = a.one("--experiment");
    String source = a.one("--job-source");
    if (job == null && source == null && !all) {
      throw CliException.usage("say which: --job-name J, --job-source S (e.g. experiment_profile), or --all-jobs");
    }
    Jobs.jobSourceProblem(source).ifPresent(p -> {
      throw CliException.usage("invalid --job-source '" + source + "': " + p);
    });
    List<String> units = oneUnit ? List.of(a.one("--unit") != null ? a.one("--unit") : Daemons.hostname("localhost"))
        : a.all("--units").isEmpty() ? List.of(Topics.BROADCAST) : a.all("--units");
    units.stream().filter(u -> !u.equals(Topics.BROADCAST)).forEach(WorkersCommands::checkedUnit);
    if (!oneUnit) {
      int n = units.contains(Topics.BROADCAST) ? ((JsonArray) leader.get("/api/workers")).size() : units.size();
      prompt.confirm("Confirm killing " + (job == null ? "all jobs" : job) + " on " + Prompt.units(n) + "?", f.yes());
    }
    Result t = new Result(f.json(), "UNIT", "STOPPED");
    boolean ok = true;
    for (String u : units) {
      JsonObject body = new JsonObject().put("job", job).put("experiment", exp).put("job_source", source);
      JsonObject r = (JsonObject) leader.send("POST", "/api/workers/" + segment(u) + "/jobs/stop", body);
      for (Object o : r.getJsonArray("results", new JsonArray())) {
        JsonObject x = (JsonObject) o;
        if (x.getString("error") != null) {
          ok = false;
          t.failed(x.getString("error"), x.getString("pioreactor_unit"));
        } else {
          JsonArray s = x.getJsonArray("stopped", new JsonArray());
          t.done(new JsonObject().put("stopped", s), x.getString("pioreactor_unit"),
              s.isEmpty() ? "(nothing running)" : String.join(", ", s.stream().map(String::valueOf).toList()));
        }
      }
    }
    t.print(out);
    return ok;
  }

  private boolean start(Result t, String unit, String exp, String job, JsonObject options) {
    try {
      JsonObject r = (JsonObject) leader.send("POST", "/api/workers/" + segment(unit) + "/jobs/run/job_name/" + segment(job)
          + "/experiments/" + segment(exp), new JsonObject().put("options", options));
      t.done(new JsonObject().put("state", r.getString("state", "ready")), unit, exp, "started: " + r.getString("state", "ready"));
      return true;
    } catch (CliException e) {
      if (e.exitCode == CliException.UNREACHABLE) {
        throw e;
      }
      t.failed(e.getMessage(), unit, exp);
      return false;
    }
  }

  /** The named units (marked missing when not in the inventory), or every worker. */
  private List<JsonObject> targets(List<String> named) {
    JsonArray rows = (JsonArray) leader.get("/api/workers");
    Map<String, JsonObject> byName = new LinkedHashMap<>();
    rows.forEach(o -> byName.put(((JsonObject) o).getString("pioreactor_unit"), (JsonObject) o));
    if (named.isEmpty()) {
      return new ArrayList<>(byName.values());
    }
    List<JsonObject> out = new ArrayList<>();
    for (String u : named) {
      out.add(byName.getOrDefault(u, new JsonObject().put("pioreactor_unit", u).put("missing", true)));
    }
    return out;
  }

  /** The job name, the command's own options, and everything else as job options. */
  private record Parsed(List<String> positional, Map<String, List<String>> fixed, JsonObject options) {
    static Parsed of(List<String> words, List<String> fixedNames) {
      List<String> positional = new ArrayList<>();
      Map<String, List<String>> fixed = new LinkedHashMap<>();
      JsonObject options = new JsonObject();
      for (int i = 0; i < words.size(); i++) {
        String w = words.get(i);
        if (w.startsWith("--") && w.length() > 2) {
          if (i + 1 >= words.size()) {
            throw CliException.usage(w + " needs a value");
          }
          String v = words.get(++i);
          if (fixedNames.contains(w)) {
            fixed.computeIfAbsent(w, k -> new ArrayList<>()).add(v);
          } else {
            options.put(w.substring(2).replace('-', '_'), number(v));
          }
        } else {
          positional.add(w);
        }
      }
      return new Parsed(positional, fixed, options);
    }

    String job(String usage) {
      if (positional.size() != 1) {
        throw CliException.usage("usage: " + usage);
      }
      String job = positional.get(0);
      Jobs.jobNameProblem(job).ifPresent(p -> {
        throw CliException.usage("'" + job + "': " + p);
      });
      return job;
    }

    String last(String name, String dflt) {
      List<String> v = fixed.get(name);
      return v == null ? dflt : v.get(v.size() - 1);
    }

    private static Object number(String v) {
      try {
        double d = Double.parseDouble(v);
        return Double.isFinite(d) ? (Object) d : v;
      } catch (NumberFormatException e) {
        return v;
      }
    }
  }
}
