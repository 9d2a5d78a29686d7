package io.pioreactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerLostTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("a worker killed with SIGKILL shows lost within twice its keepalive, and comes back ready with its membership")
  void killedWorkerIsLostThenBack() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(false);
      c.startWorker("worker1");
      assertThat(c.http.send("POST", "/api/workers/setup", "{\"name\": \"worker1\"}").status()).isEqualTo(200);
      assertThat(c.http.send("POST", "/api/experiments", "{\"experiment\": \"e1\"}").status()).isEqualTo(201);
      assertThat(c.http.send("PUT", "/api/experiments/e1/workers", "{\"pioreactor_unit\": \"worker1\"}").status()).isEqualTo(200);
      assertThat(c.http.send("PUT", "/api/workers/worker1/is_active", "{\"is_active\": 0}").status()).isEqualTo(200);

      long t0 = System.nanoTime();
      c.daemon("worker1").kill();
      // 2 × keepalive, plus a margin for process and poll scheduling on a busy 2-core machine.
      Duration bound = Duration.ofSeconds(2L * Cluster.KEEPALIVE_S + 2);
      Cluster.awaitTrue("worker1 lost in the API", bound, () -> "lost".equals(c.workerRow("worker1").getString("state")));
      System.out.printf("worker1 showed lost %.2f s after SIGKILL (keepalive %d s)%n", (System.nanoTime() - t0) / 1e9,
          Cluster.KEEPALIVE_S);
      assertThat(c.cli.run("workers", "status").out()).containsPattern("worker1\\s.*lost");

      c.startWorker("worker1");
      Cluster.awaitTrue("worker1 ready again", Duration.ofSeconds(10), () -> "ready".equals(c.workerRow("worker1").getString("state")));
      var row = c.workerRow("worker1");
      assertThat(row.getString("experiment")).isEqualTo("e1");
      assertThat(row.getInteger("is_active")).isZero();
      // The restarted worker read its retained membership: inactive, so it halted first thing.
      Cluster.awaitTrue("the restarted worker knows it is inactive", Duration.ofSeconds(5),
          () -> c.http.get("/api/logs?unit=worker1&limit=3").body().contains("membership: inactive, experiment e1"));
    }
  }
}
