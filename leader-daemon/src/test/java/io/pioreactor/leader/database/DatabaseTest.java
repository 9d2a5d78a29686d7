package io.pioreactor.leader.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.leader.inventory.WorkerRepository;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class DatabaseTest {

  @TempDir
  Path dir;

  private static List<Row> rows(Database db, String sql) {
    List<Row> out = new ArrayList<>();
    db.pool().query(sql).execute().await().forEach(out::add);
    return out;
  }

  @Test
  @DisplayName("a new file is migrated, with WAL and foreign keys on, and reopening it migrates nothing")
  void migratesOnce(Vertx vertx) {
    Path file = dir.resolve("a/b/pio.sqlite");
    Database db = Database.open(vertx, file).await();
    assertThat(db.isFresh()).isTrue();
    assertThat(rows(db, "PRAGMA journal_mode").get(0).getString(0)).isEqualToIgnoringCase("wal");
    assertThat(rows(db, "PRAGMA foreign_keys").get(0).getInteger(0)).isEqualTo(1);
    assertThat(rows(db, "PRAGMA user_version").get(0).getInteger(0)).isEqualTo(Migrations.STEPS.size());
    assertThat(db.integrityCheck().await()).isEqualTo("ok");
    db.close().await();

    Database again = Database.open(vertx, file).await();
    assertThat(again.isFresh()).isFalse();
    again.close().await();
  }

  @Test
  @DisplayName("assignment history opens on assign, closes on reassign and on removal, and outlives the worker")
  void historyOutlivesWorker(Vertx vertx) {
    Database db = Database.open(vertx, dir.resolve("pio.sqlite")).await();
    WorkerRepository workers = new WorkerRepository(db.pool());
    db.pool().query("INSERT INTO experiments VALUES ('e1', '2026-01-01', NULL), ('e2', '2026-01-02', NULL)").execute().await();
    workers.insert("w1", "2026-01-01T00:00:00Z", "pioreactor_40ml", "1.5", null).await();
    workers.assign("w1", "e1", "2026-01-01T01:00:00Z").await();
    workers.assign("w1", "e2", "2026-01-01T02:00:00Z").await();
    assertThat(workers.find("w1").await().orElseThrow().experiment()).isEqualTo("e2");

    assertThat(workers.delete("w1").await()).isTrue();
    assertThat(rows(db, "SELECT * FROM experiment_worker_assignments")).isEmpty();
    List<Row> history = rows(db, "SELECT experiment, unassigned_at FROM experiment_worker_assignments_history ORDER BY assigned_at");
    assertThat(history).hasSize(2);
    assertThat(history.get(0).getString("experiment")).isEqualTo("e1");
    assertThat(history).allSatisfy(r -> assertThat(r.getString("unassigned_at")).isNotNull());
    db.close().await();
  }

  @Test
  @DisplayName("an acknowledged write is committed: another connection (another process) sees it at once")
  void writesAreCommitted(Vertx vertx) throws Exception {
    Path file = dir.resolve("pio.sqlite");
    Database db = Database.open(vertx, file).await();
    WorkerRepository workers = new WorkerRepository(db.pool());
    db.pool().query("INSERT INTO experiments VALUES ('e1', 'x', NULL)").execute().await();
    workers.insert("w1", "2026-01-01T00:00:00Z", null, null, null).await();
    workers.setActive("w1", false).await();
    workers.assign("w1", "e1", "t").await();
    try (java.sql.Connection other = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
         java.sql.ResultSet rs = other.createStatement().executeQuery(
             "SELECT w.is_active, a.experiment FROM workers w JOIN experiment_worker_assignments a USING (pioreactor_unit)")) {
      assertThat(rs.next()).as("the row is visible to another connection").isTrue();
      assertThat(rs.getInt(1)).isZero();
      assertThat(rs.getString(2)).isEqualTo("e1");
    }
    db.close().await();
  }

  @Test
  @DisplayName("a worker can be in at most one experiment, and is_active is only 0 or 1")
  void constraints(Vertx vertx) {
    Database db = Database.open(vertx, dir.resolve("pio.sqlite")).await();
    db.pool().query("INSERT INTO experiments VALUES ('e1', 'x', NULL), ('e2', 'x', NULL)").execute().await();
    db.pool().query("INSERT INTO workers (pioreactor_unit, added_at) VALUES ('w1', 'x')").execute().await();
    db.pool().query("INSERT INTO experiment_worker_assignments VALUES ('w1', 'e1', 'x')").execute().await();
    Throwable dup = db.pool().query("INSERT INTO experiment_worker_assignments VALUES ('w1', 'e2', 'y')").execute()
        .map(rs -> (Throwable) null).otherwise(e -> e).await();
    assertThat(dup).isNotNull();
    Throwable badActive = db.pool().query("UPDATE workers SET is_active = 2").execute()
        .map(rs -> (Throwable) null).otherwise(e -> e).await();
    assertThat(badActive).isNotNull();
    db.close().await();
  }
}
