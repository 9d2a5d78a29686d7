package io.pioreactor.leader.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Backups of a live leader database: consistent, checked, named by time, the newest N kept; restore stages one. */
@ExtendWith(VertxExtension.class)
class BackupsTest {
  @TempDir
  Path dir;
  private Path dbFile;
  private Database db;
  private BackupSettings settings;

  @BeforeEach
  void open(Vertx vertx) {
    dbFile = dir.resolve("pioreactor.sqlite");
    db = Database.open(vertx, dbFile).await();
    worker("w1");
    settings = new BackupSettings(dir.resolve("backups"), 3);
  }

  @AfterEach
  void close() {
    db.close().await();
  }

  private void worker(String unit) {
    db.pool().preparedQuery("INSERT INTO workers (pioreactor_unit, added_at, is_active) VALUES (?, ?, 1)")
        .execute(io.vertx.sqlclient.Tuple.of(unit, Instant.now().toString())).await();
  }

  private static int workersIn(Path file) throws Exception {
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var rs = c.createStatement().executeQuery("SELECT count(*) FROM workers")) {
      return rs.getInt(1);
    }
  }

  @Test
  @DisplayName("a backup of the open database is a checked copy named by its UTC time, with nothing partial left")
  void backupIsACheckedCopy() throws Exception {
    Instant at = Instant.parse("2026-12-02T10:20:30Z");
    Backups.Taken t = Backups.take(dbFile, settings, Database.schemaVersion(), at);
    assertThat(t.backup().file().getFileName().toString()).isEqualTo("pioreactor-20261202-102030.sqlite");
    assertThat(t.workers()).isEqualTo(1);
    assertThat(workersIn(t.backup().file())).isEqualTo(1);
    try (var files = Files.list(settings.dir())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("pioreactor-20261202-102030.sqlite");
    }
  }

  @Test
  @DisplayName("only the newest N backups are kept, and files that are not backups are left alone")
  void keepsTheNewest() throws Exception {
    Files.createDirectories(settings.dir());
    Files.writeString(settings.dir().resolve("notes.txt"), "mine");
    for (int day = 1; day <= 5; day++) {
      Backups.take(dbFile, settings, Database.schemaVersion(), Instant.parse("2026-11-0" + day + "T00:00:00Z"));
    }
    List<Backups.Backup> kept = Backups.list(settings.dir());
    assertThat(kept).extracting(b -> b.at().toString())
        .containsExactly("2026-11-05T00:00:00Z", "2026-11-04T00:00:00Z", "2026-11-03T00:00:00Z");
    assertThat(settings.dir().resolve("notes.txt")).exists();
    assertThat(Backups.newest(settings.dir()).orElseThrow().at()).isEqualTo(Instant.parse("2026-11-05T00:00:00Z"));
  }

  @Test
  @DisplayName("a backup of a database that does not exist fails naming the path, and writes nothing")
  void missingDatabase() {
    assertThatThrownBy(() -> Backups.take(dir.resolve("nope.sqlite"), settings, Database.schemaVersion(), Instant.now()))
        .hasMessageContaining("nope.sqlite").hasMessageContaining("database.path");
    assertThat(settings.dir()).doesNotExist();
  }

  @Test
  @DisplayName("a file that is not a leader database is refused as a snapshot, with the reason")
  void notADatabase() throws Exception {
    Path junk = dir.resolve("junk.sqlite");
    Files.writeString(junk, "not sqlite at all, but long enough to look like a file header of some kind......");
    assertThatThrownBy(() -> Snapshots.inspect(junk, Database.schemaVersion()))
        .isInstanceOf(Snapshots.SnapshotProblem.class).hasMessageContaining("not an SQLite database from a leader");
  }

  @Test
  @DisplayName("pioreactor-backup takes a backup, lists it, and --restore latest stages it for the next start")
  void toolBackupListRestore() throws Exception {
    Path config = dir.resolve("leader.json");
    Files.writeString(config, new JsonObject().put("database", new JsonObject().put("path", dbFile.toString())
        .put("backups", new JsonObject().put("dir", settings.dir().toString()).put("keep", 2))).encode());
    assertThat(tool("--config", config.toString()).exit).isZero();
    worker("w2"); // after the backup: a restore goes back to one worker
    Run list = tool("--config", config.toString(), "--list");
    assertThat(list.out).contains("pioreactor-").contains(" ago");
    Run restore = tool("--config", config.toString(), "--restore", "latest");
    assertThat(restore.exit).isZero();
    assertThat(restore.out).contains("(1 workers)").contains("sudo systemctl restart pioreactor-leader");
    assertThat(workersIn(Snapshots.staged(dbFile))).isEqualTo(1);
    assertThat(Backups.list(settings.dir())).hasSize(1); // the backup itself stays, to restore again
  }

  @Test
  @DisplayName("pioreactor-backup: bad usage exits 2, a config it cannot read exits 1 naming the step, and nothing is written")
  void toolFailures() throws Exception {
    assertThat(tool("--frobnicate").exit).isEqualTo(2);
    Run bad = tool("--config", dir.resolve("missing.json").toString());
    assertThat(bad.exit).isEqualTo(1);
    assertThat(bad.err).contains("reading the leader config").contains("what to do:");
    Run restore = tool("--config", writeConfig().toString(), "--restore", dir.resolve("nothing.sqlite").toString());
    assertThat(restore.exit).isEqualTo(1);
    assertThat(restore.err).contains("is not a file");
    assertThat(Snapshots.staged(dbFile)).doesNotExist();
  }

  @Test
  @DisplayName("with no backup at all, the wait is counted from the first time the leader found none, until a backup is taken")
  void waitingSince() throws Exception {
    Instant first = Instant.parse("2026-10-01T00:00:00Z");
    assertThat(Backups.waitingSince(settings.dir(), first)).isEqualTo(first);
    assertThat(Backups.waitingSince(settings.dir(), Instant.parse("2026-11-01T00:00:00Z"))).as("kept across restarts").isEqualTo(first);
    assertThat(Backups.list(settings.dir())).as("the marker is no backup").isEmpty();
    Backups.take(dbFile, settings, Database.schemaVersion(), Instant.parse("2026-11-02T00:00:00Z"));
    Instant later = Instant.parse("2026-12-01T00:00:00Z");
    assertThat(Backups.waitingSince(settings.dir(), later)).as("a backup ends the wait; a new one starts only when none is left").isEqualTo(later);
  }

  private Path writeConfig() throws Exception {
    Path config = dir.resolve("leader2.json");
    Files.writeString(config, new JsonObject().put("database", new JsonObject().put("path", dbFile.toString())).encode());
    return config;
  }

  private record Run(int exit, String out, String err) {}

  private static synchronized Run tool(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    var o = new ByteArrayOutputStream();
    var e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true));
      System.setErr(new PrintStream(e, true));
      return new Run(BackupTool.run(args), o.toString(), e.toString());
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
