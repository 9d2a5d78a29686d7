package io.pioreactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code DELETE /api/workers/assignments} over HTTP against a leader and two worker daemons: upstream's "Unassign all
 * workers", carried out by the workers themselves (they hear their membership and halt that experiment's jobs).
 */
class UnassignAllEndToEndTest {
  private static final Duration SOON = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  @Test
  @DisplayName("DELETE /api/workers/assignments unassigns every worker of every experiment (stored, told to each, its jobs there halted, logged) and answers upstream's task; other methods change nothing")
  void unassignAll() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(false);
      c.startWorker("worker1");
      c.startWorker("worker2");
      c.addAndAssign("e1", "worker1");
      assertThat(c.http.send("POST", "/api/workers/setup", "{\"name\": \"worker2\"}").status()).isEqualTo(200);
      assertThat(c.http.send("POST", "/api/experiments", "{\"experiment\": \"e2\"}").status()).isEqualTo(201);
      assertThat(c.http.send("PUT", "/api/experiments/e2/workers", "{\"pioreactor_unit\": \"worker2\"}").status()).isEqualTo(200);
      assertThat(c.http.send("POST", Cluster.runJobPath("worker1", "e1", Jobs.STIRRING), "{}").status()).isEqualTo(200);
      Cluster.awaitTrue("worker1 stirring", SOON, () -> "ready".equals(c.retained.get(Topics.jobState("worker1", "e1", Jobs.STIRRING))));

      // Other methods on the path are refused and leave every assignment as it was.
      List<Map<String, Object>> before = c.rows("SELECT * FROM experiment_worker_assignments ORDER BY pioreactor_unit");
      assertThat(before).hasSize(2);
      for (String method : List.of("POST", "PUT", "PATCH")) {
        Http.Response r = c.http.send(method, "/api/workers/assignments", "{}");
        assertThat(r.status()).as(method + ": " + r.body()).isBetween(400, 499);
        assertThat(new JsonObject(r.body()).getString("error")).as(method).isNotBlank();
      }
      assertThat(c.rows("SELECT * FROM experiment_worker_assignments ORDER BY pioreactor_unit")).isEqualTo(before);

      Http.Response r = c.http.send("DELETE", "/api/workers/assignments", null);
      assertThat(r.status()).as(r.body()).isEqualTo(202);
      JsonObject answer = new JsonObject(r.body());
      assertThat(answer.getString("status")).isEqualTo("accepted");
      assertThat(answer.getString("result_url_path")).isEqualTo("/unit_api/task_results/" + answer.getString("task_id"));
      assertThat(answer.getJsonArray("unassigned")).isEqualTo(new JsonArray()
          .add(new JsonObject().put("pioreactor_unit", "worker1").put("experiment", "e1"))
          .add(new JsonObject().put("pioreactor_unit", "worker2").put("experiment", "e2")));
      // Stored before the answer: no assignment left, each one's history closed.
      assertThat(c.rows("SELECT * FROM experiment_worker_assignments")).isEmpty();
      assertThat(c.rows("SELECT * FROM experiment_worker_assignments_history WHERE unassigned_at IS NULL")).isEmpty();
      JsonObject task = new JsonObject(c.http.get(answer.getString("result_url_path")).body());
      assertThat(task.getString("status")).isEqualTo("succeeded");
      assertThat(task.getJsonObject("result").fieldNames()).containsExactlyInAnyOrder("worker1", "worker2");

      // Each worker heard it (its retained membership) and worker1 halted its stirring in e1.
      for (String unit : List.of("worker1", "worker2")) {
        Cluster.awaitTrue(unit + "'s membership says unassigned", SOON, () -> {
          String m = c.retained.get(Topics.assignment(unit));
          return m != null && new JsonObject(m).getValue("experiment") == null;
        });
      }
      Cluster.awaitTrue("worker1 halted its stirring", SOON,
          () -> "disconnected".equals(c.retained.get(Topics.jobState("worker1", "e1", Jobs.STIRRING))), c.daemon("worker1"));
      // Logged as upstream does, by the leader.
      Cluster.awaitTrue("the leader logged it", SOON,
          () -> c.http.get("/api/logs?limit=50").body().contains("Removed all worker assignments."));

      // Nobody assigned: it still answers, and says so.
      Http.Response again = c.http.send("DELETE", "/api/workers/assignments", null);
      assertThat(again.status()).isEqualTo(202);
      assertThat(new JsonObject(again.body()).getJsonArray("unassigned")).isEmpty();
    }
  }
}
