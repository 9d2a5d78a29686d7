package io.pioreactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cluster configuration from the CLI, run as its own process, against a leader and two worker daemons: an edit
 * in {@code $EDITOR} reaches the worker, {@code pios sync-configs} shows each unit's answer (current when it applied
 * this version, no answer when it is stopped) and fails unless every unit is current. Once on the embedded broker,
 * once on mosquitto with the shipped ACL (each unit reads only its own configuration).
 */
class ConfigSyncEndToEndTest {

  @TempDir
  Path dir;

  @ParameterizedTest(name = "embedded broker: {0}")
  @ValueSource(booleans = {true, false})
  @DisplayName("pio config edit and set reach the workers; pios sync-configs: current, no answer for a stopped unit, non-zero exit")
  void syncConfigs(boolean embedded) throws Exception {
    try (Cluster c = new Cluster(dir, embedded)) {
      c.requireSignIn("lab", "s3cret-pass");
      c.startLeader(false);
      c.startWorker("worker1");
      c.startWorker("worker2");
      for (String w : new String[] {"worker1", "worker2"}) {
        assertThat(c.cli.run("workers", "add", w).exitCode()).isZero();
      }

      // An edit in $EDITOR (a script that appends an option to the shared text's last section, kept by the leader).
      Path editor = dir.resolve("editor.sh");
      Files.writeString(editor, "#!/bin/sh\nprintf '[cli.e2e]\\nedited=yes\\n' >> \"$1\"\n");
      Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));
      Cli.Result edit = c.cli.run(Map.of("EDITOR", editor.toString()), "config", "edit", "--yes");
      assertThat(edit.exitCode()).as(edit.all()).isZero();
      assertThat(edit.out()).contains("+[cli.e2e]", "+edited=yes", "Saved the shared configuration");
      Cli.Result set = c.cli.run("config", "set", "--unit", "worker1", "stirring.config.initial_target_rpm", "350");
      assertThat(set.exitCode()).as(set.all()).isZero();
      Cli.Result merged = c.cli.run("config", "show", "--unit", "worker1", "--merged");
      assertThat(merged.out()).contains("[stirring.config]\ninitial_target_rpm=350\n", "[cli.e2e]\nedited=yes\n");

      // Both answer: current, at the version the leader sent each.
      Cli.Result both = c.cli.run("pios", "sync-configs", "--units", "worker1,worker2");
      assertThat(both.exitCode()).as(both.all()).isZero();
      JsonObject status = (JsonObject) c.http.get("/api/config/status").json();
      for (String w : new String[] {"worker1", "worker2"}) {
        assertThat(both.out()).containsPattern(w + "\\s+" + status.getJsonObject(w).getString("version") + "\\s+current");
      }
      assertThat(status.getJsonObject("worker1").getString("version")).isNotEqualTo(status.getJsonObject("worker2").getString("version"));

      // worker2 stopped, then a change: worker1 applies it, worker2 cannot answer within the timeout; the command fails.
      // (Without a change the leader counts worker2's last answer, for the version it still has, as current.)
      c.daemon("worker2").close();
      Cli.Result change = c.cli.run("config", "set", "stirring.config.initial_target_rpm", "410");
      assertThat(change.exitCode()).as(change.all()).isZero();
      Cli.Result oneDown = c.cli.run("pios", "sync-configs", "--units", "worker1", "--units", "worker2", "--timeout", "3");
      assertThat(oneDown.exitCode()).as(oneDown.all()).isEqualTo(1);
      assertThat(oneDown.out()).containsPattern("worker1\\s+[0-9a-f]{12}\\s+current")
          .containsPattern("worker2\\s+[0-9a-f]{12}\\s+no answer\\s+no answer within 3 s");
      assertThat(oneDown.err()).contains("1 of 2 units is not running the current configuration: worker2 (no answer)");

      // Every unit by default; bad arguments are refused before anything is sent.
      Cli.Result all = c.cli.run("pios", "sync-configs", "--timeout", "2");
      assertThat(all.exitCode()).isEqualTo(1);
      assertThat(all.out()).contains("worker1", "worker2");
      assertThat(c.cli.run("pios", "sync-configs", "--timeout", "0").exitCode()).isEqualTo(2);
      assertThat(c.cli.run("pios", "sync-configs", "--units", "not a name").exitCode()).isEqualTo(2);
      Cli.Result ghost = c.cli.run("pios", "sync-configs", "--units", "ghost");
      assertThat(ghost.exitCode()).isEqualTo(1);
      assertThat(ghost.err()).contains("ghost is not in the inventory");
    }
  }
}
