package io.pioreactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Renaming a worker end to end: it renames itself, the leader re-adds it clean, and the old history stays. */
class RenameTest {
  @TempDir
  Path dir;

  @Test
  @DisplayName("pio workers rename: the worker comes back under its new name, clean; the old name's history is still queryable")
  void renameKeepsHistory() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(false);
      c.startWorker("w1");
      c.startWorker("w2");
      for (String w : new String[] {"w1", "w2"}) {
        assertThat(c.http.send("POST", "/api/workers/setup", "{\"name\": \"" + w + "\"}").status()).isEqualTo(200);
      }
      assertThat(c.http.send("POST", "/api/experiments", "{\"experiment\": \"e1\"}").status()).isEqualTo(201);
      assertThat(c.http.send("PUT", "/api/experiments/e1/workers", "{\"pioreactor_unit\": \"w1\"}").status()).isEqualTo(200);
      assertThat(c.http.send("POST", "/api/workers/w1/jobs/run/job_name/stirring/experiments/e1", "{}").status()).isEqualTo(200);
      Cluster.awaitTrue("stirring ready", Duration.ofSeconds(10), () -> "ready".equals(c.retained.get("pioreactor/w1/e1/stirring/$state")));

      // Refusals first: they change nothing.
      assertThat(c.cli.run("workers", "rename", "w1", "w2").all()).contains("w2 is already in the inventory");
      assertThat(c.cli.run("workers", "rename", "w1", "bad name").exitCode()).isEqualTo(2);
      assertThat(c.cli.run("workers", "rename", "ghost", "w7").all()).contains("ghost is not in the inventory");

      Cli.Result r = c.cli.run("workers", "rename", "w1", "w9");
      assertThat(r.exitCode()).as(r.all()).isZero();
      assertThat(r.out()).contains("w1 is now w9");
      JsonObject w9 = (JsonObject) c.http.get("/api/workers/w9").json();
      assertThat(w9.getString("experiment")).isNull();
      Cluster.awaitTrue("w9 ready", Duration.ofSeconds(10), () -> "ready".equals(((JsonObject) c.http.get("/api/workers/w9").json()).getString("state")));
      assertThat(c.http.get("/api/workers/w1").status()).isEqualTo(404);
      assertThat(new JsonObject(Files.readString(dir.resolve("w1/config.json"))).getString("unit")).isEqualTo("w9");
      // The old name's jobs stopped with it (removal halts them), and its history is still there under w1.
      assertThat(c.retained.get("pioreactor/w1/e1/stirring/$state")).isEqualTo("disconnected");
      JsonArray history = (JsonArray) c.http.get("/api/units/w1/jobs/history").json();
      assertThat(history.stream().map(o -> ((JsonObject) o).getString("value")).toList()).contains("ready");
      assertThat(c.http.get("/api/logs?unit=w1&limit=500").body()).contains("starting stirring");
      assertThat(c.rows("SELECT experiment FROM experiment_worker_assignments_history WHERE pioreactor_unit = 'w1'"))
          .extracting(m -> m.get("experiment")).containsExactly("e1");
      assertThat((JsonArray) c.http.get("/api/units/w9/jobs/history").json()).isEmpty();

      // The renamed worker works under its new name.
      assertThat(c.http.send("PUT", "/api/experiments/e1/workers", "{\"pioreactor_unit\": \"w9\"}").status()).isEqualTo(200);
      Http.Response run = c.http.send("POST", "/api/workers/w9/jobs/run/job_name/stirring/experiments/e1", "{}");
      assertThat(run.status()).as(run.body()).isEqualTo(200);

      // A worker that is offline cannot rename itself: the refusal gives the manual route.
      c.daemon("w2").kill();
      Cluster.awaitTrue("w2 lost", Duration.ofSeconds(8), () -> "lost".equals(((JsonObject) c.http.get("/api/workers/w2").json()).getString("state")));
      Cli.Result offline = c.cli.run("workers", "rename", "w2", "w8");
      assertThat(offline.exitCode()).isEqualTo(1);
      assertThat(offline.all()).contains("w2 is not online").contains("pio workers remove w2");
    }
  }
}
