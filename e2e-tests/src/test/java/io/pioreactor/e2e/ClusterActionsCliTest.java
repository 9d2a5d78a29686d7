package io.pioreactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Topics;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's cluster actions as a process against real daemons (mosquitto): {@code pios shutdown}, the confirmation
 * {@code pios} asks at a terminal, {@code --json}, {@code pio workers unassign <unit> <experiment>},
 * {@code pio workers update-model} and the Reachable column; bad usage exits 2 and sends nothing.
 */
class ClusterActionsCliTest {
  private static final Duration SOON = Duration.ofSeconds(15);

  @TempDir
  Path dir;

  private static List<JsonObject> jsonLines(Cli.Result r) {
    return Arrays.stream(r.out().split("\n")).filter(l -> l.startsWith("{")).map(JsonObject::new).toList();
  }

  @Test
  @DisplayName("pios shutdown powers off the named unit only, says so per unit with --json, and asks first at a terminal")
  void shutdownAndConfirmation() throws Exception {
    try (Cluster c = new Cluster(dir, false)) {
      c.startLeader(false);
      c.startWorker("w1");
      c.startWorker("w2");
      c.addAndAssign("e1", "w1", "w2");

      // bad usage: exit 2, nothing sent
      assertThat(c.cli.run("pios", "shutdown", "--units", "not a name", "-y").exitCode()).isEqualTo(2);
      assertThat(c.cli.run("pios", "shutdown", "w1").exitCode()).isEqualTo(2);
      assertThat(c.cli.run("pios", "shutdown", "--unit", "w1").exitCode()).isEqualTo(2);

      // at a terminal, "n" sends nothing
      Cli.Result no = c.cli.runAtTerminal("n", "pios", "shutdown", "--units", "w1");
      assertThat(no.exitCode()).as(no.all()).isEqualTo(1);
      assertThat(no.out()).contains("Confirm shutting down 1 unit? [y/N]").contains("nothing was sent");
      assertThat(c.ran("w1", true)).isFalse();

      Cli.Result yes = c.cli.run("pios", "shutdown", "--units", "w1", "-y", "--json");
      assertThat(yes.exitCode()).as(yes.all()).isZero();
      assertThat(jsonLines(yes)).containsExactly(new JsonObject().put("unit", "w1").put("status", "success"));
      Cluster.awaitTrue("w1 ran its shutdown command", SOON, () -> c.ran("w1", true));
      assertThat(c.ran("w2", true)).as("w2 was not named").isFalse();
      assertThat(c.ran("w1", false) || c.ran("w2", false)).as("nobody rebooted").isFalse();

      // reboot at a terminal, confirmed
      Cli.Result reboot = c.cli.runAtTerminal("y", "pios", "reboot", "--units", "w2");
      assertThat(reboot.exitCode()).as(reboot.all()).isZero();
      assertThat(reboot.out()).contains("Confirm rebooting 1 unit? [y/N]").containsPattern("w2\\s+rebooting");
      Cluster.awaitTrue("w2 ran its reboot command", SOON, () -> c.ran("w2", false));
    }
  }

  @Test
  @DisplayName("pios run and kill print one JSON object a unit with --json; at a terminal they ask and 'n' starts nothing")
  void runAndKillAsJson() throws Exception {
    try (Cluster c = new Cluster(dir, false)) {
      c.startLeader(false);
      c.startWorker("w1");
      c.startWorker("w2");
      c.addAndAssign("e1", "w1", "w2");
      assertThat(c.http.send("PUT", "/api/workers/w2/is_active", "{\"is_active\": 0}").status()).isEqualTo(200);

      Cli.Result no = c.cli.runAtTerminal("n", "pios", "run", Jobs.STIRRING);
      assertThat(no.exitCode()).as(no.all()).isEqualTo(1);
      assertThat(no.out()).contains("Confirm running stirring on 1 unit? [y/N]");
      assertThat(c.retained.get(Topics.jobState("w1", "e1", Jobs.STIRRING))).isNull();

      Cli.Result run = c.cli.run("pios", "run", Jobs.STIRRING, "--target-rpm", "300", "--json", "-y");
      assertThat(run.exitCode()).as(run.all()).isZero();
      assertThat(jsonLines(run)).containsExactlyInAnyOrder(
          new JsonObject().put("unit", "w1").put("experiment", "e1").put("status", "success").put("state", "ready"),
          new JsonObject().put("unit", "w2").put("experiment", "e1").put("status", "skipped").put("reason", "inactive"));

      Cli.Result kill = c.cli.run("pios", "kill", "--job-name", Jobs.STIRRING, "--units", "w1", "--json", "--yes");
      assertThat(kill.exitCode()).as(kill.all()).isZero();
      assertThat(jsonLines(kill)).containsExactly(new JsonObject().put("unit", "w1").put("status", "success")
          .put("stopped", new io.vertx.core.json.JsonArray().add(Jobs.STIRRING)));
      assertThat(c.cli.run("pios", "kill", "--job-name", Jobs.STIRRING, "--units", "bad name", "-y").exitCode()).isEqualTo(2);
    }
  }

  @Test
  @DisplayName("pio workers unassign <unit> <experiment>, update-model and status's Reachable column, with bad usage exiting 2")
  void workersCommands() throws Exception {
    try (Cluster c = new Cluster(dir, false)) {
      c.startLeader(false);
      c.startWorker("w1");
      c.addAndAssign("e1", "w1");
      // a row with no worker behind it: never connected
      assertThat(c.http.send("PUT", "/api/workers", "{\"pioreactor_unit\": \"ghost1\"}").status()).isEqualTo(201);

      Cli.Result status = c.cli.run("workers", "status");
      assertThat(status.out()).as(status.all()).containsPattern("REACHABLE").containsPattern("w1\\s+\\S+\\s+ready\\s+yes\\s+yes")
          .containsPattern("ghost1\\s+-\\s+never seen\\s+yes\\s+no");

      assertThat(c.cli.run("workers", "unassign", "w1", "not/valid").exitCode()).isEqualTo(2);
      assertThat(c.cli.run("workers", "unassign", "w1", "e1", "extra").exitCode()).isEqualTo(2);
      Cli.Result unassign = c.cli.run("workers", "unassign", "w1", "e1");
      assertThat(unassign.exitCode()).as(unassign.all()).isZero();
      assertThat(c.http.get("/api/workers/w1/experiment").status()).isEqualTo(404);
      assertThat(c.cli.run("workers", "unassign", "w1", "e1").exitCode()).as("not assigned there any more").isEqualTo(1);

      assertThat(c.cli.run("workers", "update-model", "w1", "--model-name", "pioreactor_20ml").exitCode()).isEqualTo(2);
      assertThat(c.http.get("/api/workers/w1/model").body()).contains("pioreactor_40ml");
      Cli.Result model = c.cli.run("workers", "update-model", "w1", "--model-name", "pioreactor_20ml", "--model-version", "1.1");
      assertThat(model.exitCode()).as(model.all()).isZero();
      JsonObject m = (JsonObject) c.http.get("/api/workers/w1/model").json();
      assertThat(m.getString("model_name")).isEqualTo("pioreactor_20ml");
      assertThat(m.getString("model_version")).isEqualTo("1.1");
      Cli.Result unknown = c.cli.run("workers", "update-model", "w1", "-m", "pioreactor_9000ml", "-v", "1.0");
      assertThat(unknown.exitCode()).as(unknown.all()).isEqualTo(1);
    }
  }
  @Test
  @DisplayName("pios kill --job-source experiment_profile stops what a profile started and leaves what a person started")
  void killByJobSource() throws Exception {
    try (Cluster c = new Cluster(dir, false)) {
      c.startLeader(false);
      c.startWorker("w1");
      c.addAndAssign("e1", "w1");
      assertThat(c.http.send("POST", Cluster.runJobPath("w1", "e1", Jobs.STIRRING), "{}").status()).isEqualTo(200);
      Path file = dir.resolve("profile.yaml");
      java.nio.file.Files.writeString(file, """
          version: "1.0"
          experiment_profile_name: sources
          common:
            jobs:
              od_reading:
                actions:
                  - {type: start, t: 0s, options: {interval: 1}}
                  - {type: log, t: 10m, options: {message: "still here"}}
          """);
      Cli.Result profile = c.cli.run("run", "experiment_profile", "execute", file.toString(), "e1", "--detach");
      assertThat(profile.exitCode()).as(profile.all()).isZero();
      Cluster.awaitTrue("the profile's od_reading ready", SOON, () -> "ready".equals(c.retained.get(Topics.jobState("w1", "e1", Jobs.OD_READING))));

      assertThat(c.cli.run("pios", "kill", "--job-source", "Not A Source", "-y").exitCode()).isEqualTo(2);
      Cli.Result kill = c.cli.run("pios", "kill", "--job-source", "experiment_profile", "-y", "--json");
      assertThat(kill.exitCode()).as(kill.all()).isZero();
      assertThat(jsonLines(kill)).containsExactly(new JsonObject().put("unit", "w1").put("status", "success")
          .put("stopped", new io.vertx.core.json.JsonArray().add(Jobs.OD_READING)));
      Cluster.awaitTrue("od_reading stopped", SOON, () -> "disconnected".equals(c.retained.get(Topics.jobState("w1", "e1", Jobs.OD_READING))));
      assertThat(c.retained.get(Topics.jobState("w1", "e1", Jobs.STIRRING))).as("a person started it").isEqualTo("ready");
    }
  }
}
