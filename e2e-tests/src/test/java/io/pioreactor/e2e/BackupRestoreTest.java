package io.pioreactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader's backups as a lab uses them (docs/backups.md): {@code pioreactor-backup} beside the running leader,
 * the leader's health showing it, then {@code --restore latest} and a restart bringing the lab back to that week.
 */
class BackupRestoreTest {
  @TempDir
  Path dir;

  private record Run(int exit, String out) {}

  private static Run backupTool(Path config, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(DaemonProcess.java(), "-XX:TieredStopAtLevel=1", "-cp", DaemonProcess.LEADER_JAR.toString(),
        "io.pioreactor.leader.database.BackupTool", "--config", config.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("pioreactor-backup did not finish");
    }
    return new Run(p.exitValue(), out);
  }

  private static List<String> experiments(Cluster c) {
    List<String> names = new ArrayList<>();
    for (Object o : new io.vertx.core.json.JsonArray(c.http.get("/api/experiments").body())) {
      names.add(((JsonObject) o).getString("experiment"));
    }
    return names;
  }

  @Test
  @DisplayName("a backup of the running leader shows in its health, and restoring it brings back exactly what it held")
  void backupThenRestore() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(true);
      assertThat(c.http.send("POST", "/api/experiments", "{\"experiment\":\"week-1\"}").status()).isLessThan(300);
      Path config = dir.resolve("leader/config.json");

      Run backup = backupTool(config);
      assertThat(backup.exit).as(backup.out).isZero();
      assertThat(backup.out).contains("backup: ").contains("pioreactor-");
      Cluster.awaitTrue("the backup in the leader's health", Duration.ofSeconds(20), () -> {
        JsonObject b = new JsonObject(c.http.get("/api/health").body()).getJsonObject("backup");
        return b != null && Integer.valueOf(1).equals(b.getInteger("count")) && b.getString("newest") != null;
      }, c.daemon("leader-daemon"));

      assertThat(c.http.send("POST", "/api/experiments", "{\"experiment\":\"week-2\"}").status()).isLessThan(300);
      assertThat(experiments(c)).contains("week-1", "week-2");

      Run restore = backupTool(config, "--restore", "latest");
      assertThat(restore.exit).as(restore.out).isZero();
      assertThat(restore.out).contains("Restart the leader to use it");
      assertThat(experiments(c)).as("nothing changes before the restart").contains("week-2");

      c.killLeader();
      c.restartLeader();
      assertThat(experiments(c)).contains("week-1").doesNotContain("week-2");
      try (var files = Files.list(dir.resolve("leader"))) {
        assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("pioreactor.sqlite.replaced-"));
      }
    }
  }

  @Test
  @DisplayName("restoring a file that is not a leader database is refused with the reason, and the next start keeps the database")
  void restoreOfJunkIsRefused() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(true);
      assertThat(c.http.send("POST", "/api/experiments", "{\"experiment\":\"kept\"}").status()).isLessThan(300);
      Path junk = dir.resolve("junk.sqlite");
      Files.writeString(junk, "this is a text file that someone named .sqlite by mistake, not a database at all");
      Run restore = backupTool(dir.resolve("leader/config.json"), "--restore", junk.toString());
      assertThat(restore.exit).isEqualTo(1);
      assertThat(restore.out).contains("not an SQLite database from a leader").contains("pioreactor-backup --list");
      c.killLeader();
      c.restartLeader();
      assertThat(experiments(c)).contains("kept");
    }
  }
}
