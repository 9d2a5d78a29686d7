package io.pioreactor.leader.cli;

import static io.pioreactor.leader.cli.LeaderClient.segment;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code pio run experiment_profile execute <file> <experiment> [--dry-run] [--detach]}, {@code stop}, {@code upload},
 * {@code list}. The profile runs on the leader: {@code execute} follows its progress until it finishes, and
 * Ctrl-C leaves it running (stop it with {@code pio run experiment_profile stop <experiment>}).
 */
final class ProfilesCommands {
  static final String USAGE = """
      usage: pio run experiment_profile execute <file.yaml> <experiment> [--dry-run] [--detach]
             pio run experiment_profile stop <experiment>
             pio run experiment_profile upload <file.yaml>
             pio run experiment_profile list""";

  private final LeaderClient leader;
  private final PrintStream out;

  ProfilesCommands(LeaderClient leader, PrintStream out) {
    this.leader = leader;
    this.out = out;
  }

  void run(List<String> words) {
    if (words.isEmpty()) {
      throw CliException.usage(USAGE);
    }
    List<String> rest = words.subList(1, words.size());
    switch (words.get(0)) {
      case "execute" -> execute(rest);
      case "stop" -> {
        Args a = Args.parse(rest, Set.of());
        a.atMost(1);
        JsonObject p = (JsonObject) leader.send("POST", "/api/experiments/" + segment(a.required(0, "experiment")) + "/profiles/stop", null);
        out.println("Stopped '" + p.getString("experiment_profile_name") + "' after " + p.getInteger("actions_done") + " of "
            + p.getInteger("actions_total") + " actions. Jobs it started keep running: pios kill --all-jobs --experiment …");
      }
      case "upload" -> {
        Args a = Args.parse(rest, Set.of());
        a.atMost(1);
        JsonObject r = (JsonObject) leader.send("POST", "/api/profiles", new JsonObject().put("content", read(a.required(0, "file"))));
        out.println("Uploaded '" + r.getString("experiment_profile_name") + "' (" + r.getInteger("actions") + " actions).");
      }
      case "list" -> {
        Table t = new Table("PROFILE", "DESCRIPTION", "UPLOADED", "RUNNING IN");
        ((JsonArray) leader.get("/api/profiles")).forEach(o -> {
          JsonObject p = (JsonObject) o;
          t.row(p.getString("experiment_profile_name"), p.getString("description", ""), p.getString("uploaded_at"),
              String.join(", ", p.getJsonArray("running_in").stream().map(String::valueOf).toList()));
        });
        out.print(t.render());
      }
      default -> throw CliException.usage(USAGE);
    }
  }

  private void execute(List<String> words) {
    boolean dry = words.contains("--dry-run");
    boolean detach = words.contains("--detach");
    List<String> rest = words.stream().filter(w -> !w.equals("--dry-run") && !w.equals("--detach")).toList();
    Args a = Args.parse(rest, Set.of());
    a.atMost(2);
    String content = read(a.required(0, "file"));
    String experiment = a.required(1, "experiment");
    String path = "/api/experiments/" + segment(experiment) + "/profiles/run";
    JsonObject r = (JsonObject) leader.send("POST", path, new JsonObject().put("content", content).put("dry_run", dry));
    if (dry) {
      Table t = new Table("AT", "TARGET", "JOB", "ACTION", "REACHES NOW");
      r.getJsonArray("plan").forEach(o -> {
        JsonObject s = (JsonObject) o;
        String reaches = s.getJsonArray("units").isEmpty() ? (s.getString("skipped") != null ? "skipped: " + s.getString("skipped")
            : s.getString("type").equals("log") ? "(log)" : "nobody (no active worker assigned)")
            : String.join(", ", s.getJsonArray("units").stream().map(String::valueOf).toList());
        t.row(seconds(s.getDouble("t_seconds")), s.getString("target"), s.getString("job"), s.getString("type"), reaches);
      });
      out.println("Dry run of '" + r.getString("experiment_profile_name") + "' in " + experiment + " (nothing was started):");
      out.print(t.render());
      return;
    }
    out.println("Started '" + r.getString("experiment_profile_name") + "' in " + experiment + ": " + r.getInteger("actions_total") + " actions.");
    if (detach) {
      return;
    }
    int shown = 0;
    while (true) {
      JsonObject p = (JsonObject) leader.get("/api/experiments/" + segment(experiment) + "/profiles/running");
      JsonArray recent = p.getJsonArray("recent", new JsonArray());
      int done = p.getInteger("actions_done");
      for (int i = Math.max(0, recent.size() - (done - shown)); i < recent.size(); i++) {
        JsonObject x = recent.getJsonObject(i);
        out.println("  " + seconds(x.getDouble("t_seconds")) + "  " + x.getString("type") + " " + x.getString("job")
            + (x.getString("units").isEmpty() ? "  (no unit took part)" : "  → " + x.getString("units")));
      }
      shown = done;
      if (!"running".equals(p.getString("state"))) {
        out.println("Profile " + p.getString("state") + ": " + done + " actions, " + p.getInteger("skipped") + " skipped, "
            + p.getInteger("failed") + " failed (details: pio logs, or GET /api/logs).");
        if (p.getInteger("failed") > 0) {
          throw new CliException(CliException.REFUSED, p.getInteger("failed") + " actions failed");
        }
        return;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static String seconds(double s) {
    return s < 120 ? String.format("%.0fs", s) : s < 7200 ? String.format("%.1fm", s / 60) : String.format("%.2fh", s / 3600);
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      throw CliException.usage("cannot read " + file + ": " + e.getMessage());
    }
  }
}
