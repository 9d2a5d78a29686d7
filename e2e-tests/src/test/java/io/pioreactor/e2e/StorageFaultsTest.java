package io.pioreactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader's storage failing under it: a full disk (a small tmpfs) and a write-protected database. Writes are
 * answered 503 with what to do, reads go on, nothing stored is lost, and writes work again afterwards.
 */
class StorageFaultsTest {
  @TempDir
  Path dir;

  @Test
  @DisplayName("the leader's disk full: writes answered 503 with a clear message, reads go on, nothing stored is lost, and it recovers when space returns")
  void diskFull() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mounting a small filesystem needs root (CI runs as root)");
    Path disk = Files.createDirectories(dir.resolve("disk"));
    Commands.run(List.of("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", disk.toString()));
    try {
      try (Cluster c = new Cluster(dir, false)) {
        c.databaseAt(disk.resolve("pioreactor.sqlite"));
        c.startLeader(false);
        c.startWorker("w1");
        c.addAndAssign("kept", "w1");
        String description = "x".repeat(4000);
        List<String> acknowledged = new ArrayList<>(List.of("kept"));
        for (int i = 0; i < 20; i++) {
          assertThat(createExperiment(c, "before-" + i, description).status()).isEqualTo(201);
          acknowledged.add("before-" + i);
        }

        Path filler = disk.resolve("filler");
        try (OutputStream out = Files.newOutputStream(filler)) {
          byte[] block = new byte[64 * 1024];
          while (true) {
            out.write(block);
          }
        } catch (IOException full) {
          // the filesystem is full now
        }
        // SQLite reuses space it already has, so some writes may still succeed: those are acknowledged and kept.
        Http.Response refused = null;
        List<String> rejected = new ArrayList<>();
        for (int i = 0; i < 200 && refused == null; i++) {
          Http.Response r = createExperiment(c, "during-" + i, description);
          if (r.status() == 201) {
            acknowledged.add("during-" + i);
          } else {
            refused = r;
            rejected.add("during-" + i);
          }
        }
        assertThat(refused).as("a write refused once the disk is full").isNotNull();
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        JsonObject error = (JsonObject) refused.json();
        assertThat(error.getString("error")).contains("disk is full");
        assertThat(error.getString("remediation")).contains("free space");
        assertThat(c.http.get("/api/workers").status()).isEqualTo(200);
        assertThat(c.http.get("/api/experiments").body()).contains("before-19");
        // another kind of write is refused the same way
        Http.Response deactivate = c.http.send("PUT", "/api/workers/w1/is_active", "{\"is_active\": 0}");
        assertThat(deactivate.status()).as(deactivate.body()).isIn(200, 503);
        boolean deactivated = deactivate.status() == 200;

        Files.delete(filler);
        Http.Response after = createExperiment(c, "after", description);
        assertThat(after.status()).as(after.body()).isEqualTo(201);
        acknowledged.add("after");

        assertThat(c.rows("PRAGMA integrity_check").get(0).values().iterator().next()).isEqualTo("ok");
        List<String> stored = c.rows("SELECT experiment FROM experiments").stream().map(r -> (String) r.get("experiment")).toList();
        assertThat(stored).containsExactlyInAnyOrderElementsOf(acknowledged).doesNotContainAnyElementsOf(rejected);
        assertThat(c.rows("SELECT is_active FROM workers WHERE pioreactor_unit = 'w1'").get(0).get("is_active"))
            .isEqualTo(deactivated ? 0 : 1);
      }
    } finally {
      Commands.run(List.of("umount", "-l", disk.toString()));
    }
  }

  @Test
  @DisplayName("the leader's database made read-only under it: writes answered 503 saying so, reads go on, nothing stored is lost, and writes work again once it is writable")
  void readOnlyDatabase() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "write-protecting a file from root needs chattr as root");
    try (Cluster c = new Cluster(dir, false)) {
      c.startLeader(false);
      c.startWorker("w1");
      c.addAndAssign("kept", "w1");
      List<String> acknowledged = new ArrayList<>(List.of("kept"));
      for (int i = 0; i < 5; i++) {
        assertThat(createExperiment(c, "before-" + i, "d").status()).isEqualTo(201);
        acknowledged.add("before-" + i);
      }
      // Root ignores permissions; the immutable attribute stops even root, as a card remounted read-only would.
      // (Not the -shm file: SQLite maps it into memory, and a write-protected mapping is a crash, not a test.)
      List<Path> files = List.of(c.database(), c.database().resolveSibling(c.database().getFileName() + "-wal"));
      try {
        for (Path f : files) {
          try {
            Commands.run(List.of("chattr", "+i", f.toString()));
          } catch (IllegalStateException | IOException e) {
            Assumptions.abort("this filesystem has no immutable attribute (chattr): " + e.getMessage());
          }
        }
        Http.Response refused = createExperiment(c, "during", "d");
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        JsonObject error = (JsonObject) refused.json();
        assertThat(error.getString("error")).contains("read-only");
        assertThat(error.getString("remediation")).contains("writable");
        Http.Response deactivate = c.http.send("PUT", "/api/workers/w1/is_active", "{\"is_active\": 0}");
        assertThat(deactivate.status()).as(deactivate.body()).isEqualTo(503);
        assertThat(c.http.get("/api/experiments").body()).contains("before-4");
        assertThat(c.http.get("/api/workers/w1").status()).isEqualTo(200);
      } finally {
        for (Path f : files) {
          Commands.run(List.of("chattr", "-i", f.toString()));
        }
      }
      Http.Response after = createExperiment(c, "after", "d");
      assertThat(after.status()).as(after.body()).isEqualTo(201);
      acknowledged.add("after");
      assertThat(c.http.send("PUT", "/api/workers/w1/is_active", "{\"is_active\": 0}").status()).isEqualTo(200);
      assertThat(c.rows("PRAGMA integrity_check").get(0).values().iterator().next()).isEqualTo("ok");
      assertThat(c.rows("SELECT experiment FROM experiments").stream().map(r -> (String) r.get("experiment")).toList())
          .containsExactlyInAnyOrderElementsOf(acknowledged);
      assertThat(c.rows("SELECT is_active FROM workers WHERE pioreactor_unit = 'w1'").get(0).get("is_active")).isEqualTo(0);
    }
  }

  private static Http.Response createExperiment(Cluster c, String name, String description) {
    return c.http.send("POST", "/api/experiments", new JsonObject().put("experiment", name).put("description", description).encode());
  }
}
