package io.pioreactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.protocol.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every inventory action, through the REST API and the CLI, on a leader and two worker daemons running as
 * separate processes; after each step the database and the retained topics are checked. Once on the
 * leader's embedded broker, once on Debian's mosquitto.
 */
class ClusterWalkTest {

  @TempDir
  Path dir;

  private static JsonObject membership(Cluster c, String unit) {
    String m = c.retained.get(Topics.assignment(unit));
    return m == null ? null : new JsonObject(m);
  }

  @ParameterizedTest(name = "embedded broker: {0}")
  @ValueSource(booleans = {true, false})
  @DisplayName("add, status, experiments, assign, unassign, active, identify, reboot and remove work end to end")
  void walk(boolean embedded) throws Exception {
    try (Cluster c = new Cluster(dir, embedded)) {
      c.startLeader(false);
      c.startWorker("worker1");
      c.startWorker("worker2");

      // Add by REST, then by CLI.
      Http.Response added = c.http.send("POST", "/api/workers/setup", "{\"name\": \"worker1\"}");
      assertThat(added.status()).as(added.body()).isEqualTo(200);
      assertThat(c.rows("SELECT is_active FROM workers WHERE pioreactor_unit = 'worker1'")).hasSize(1);
      Cluster.awaitTrue("worker1's membership", Duration.ofSeconds(5), () -> membership(c, "worker1") != null);
      assertThat(membership(c, "worker1").getInteger("is_active")).isEqualTo(1);
      Cli.Result cliAdd = c.cli.run("workers", "add", "worker2");
      assertThat(cliAdd.exitCode()).as(cliAdd.all()).isZero();
      assertThat(cliAdd.out()).contains("worker2 added");
      assertThat(c.rows("SELECT * FROM workers")).hasSize(2);

      // Refusals: duplicate, a unit nobody runs, the wrong address; nothing is inserted.
      assertThat(c.http.send("POST", "/api/workers/setup", "{\"name\": \"worker1\"}").status()).isEqualTo(409);
      Http.Response ghost = c.http.send("POST", "/api/workers/setup", "{\"name\": \"ghost\"}");
      assertThat(ghost.status()).isEqualTo(504);
      assertThat(((JsonObject) ghost.json()).getString("step")).isEqualTo("handshake");
      String ip = c.workerRow("worker2").getString("ipv4_address");
      assertThat(c.http.send("DELETE", "/api/workers/worker2", null).status()).isEqualTo(202);
      Cli.Result wrongAddress = c.cli.run("workers", "add", "worker2", "-a", "10.255.255.1");
      assertThat(wrongAddress.exitCode()).isEqualTo(1);
      assertThat(wrongAddress.err()).contains("wrong unit at address");
      Cli.Result rightAddress = c.cli.run("workers", "add", "worker2", "-a", ip);
      assertThat(rightAddress.exitCode()).as(rightAddress.all()).isZero();
      assertThat(c.rows("SELECT pioreactor_unit FROM workers ORDER BY 1")).extracting(r -> r.get("pioreactor_unit"))
          .containsExactly("worker1", "worker2");

      // Status: a leader-only leader, two ready workers.
      Cli.Result status = c.cli.run("workers", "status");
      assertThat(status.exitCode()).isZero();
      assertThat(status.out()).contains("leader only").containsPattern("worker1\\s.*ready").containsPattern("worker2\\s.*ready");

      // Experiments and assignment, by REST and CLI.
      assertThat(c.http.send("POST", "/api/experiments", "{\"experiment\": \"exp one\"}").status()).isEqualTo(201);
      assertThat(c.cli.run("experiments", "create", "exp2", "-d", "second").exitCode()).isZero();
      assertThat(c.cli.run("experiments", "list").out()).contains("exp one").contains("exp2");
      assertThat(c.http.send("PUT", "/api/experiments/exp%20one/workers", "{\"pioreactor_unit\": \"worker1\"}").status()).isEqualTo(200);
      assertThat(c.cli.run("workers", "assign", "worker2", "exp one").exitCode()).isZero();
      assertThat(c.rows("SELECT experiment FROM experiment_worker_assignments")).hasSize(2);
      Cluster.awaitTrue("worker2's assignment", Duration.ofSeconds(5),
          () -> "exp one".equals(membership(c, "worker2").getString("experiment")));
      assertThat(c.cli.run("workers", "assign", "worker2", "exp2").exitCode()).isZero();
      assertThat(c.rows("SELECT experiment FROM experiment_worker_assignments WHERE pioreactor_unit = 'worker2'").get(0))
          .containsEntry("experiment", "exp2");
      Cluster.awaitTrue("worker2 moved", Duration.ofSeconds(5), () -> "exp2".equals(membership(c, "worker2").getString("experiment")));

      assertThat(c.cli.run("workers", "unassign", "worker2").exitCode()).isZero();
      assertThat(c.http.send("DELETE", "/api/experiments/exp%20one/workers/worker1", null).status()).isEqualTo(200);
      assertThat(c.rows("SELECT * FROM experiment_worker_assignments")).isEmpty();
      assertThat(c.rows("SELECT * FROM experiment_worker_assignments_history WHERE unassigned_at IS NOT NULL")).hasSize(3);
      Cluster.awaitTrue("worker2 unassigned", Duration.ofSeconds(5), () -> membership(c, "worker2").getValue("experiment") == null);
      assertThat(c.cli.run("workers", "unassign", "worker2").exitCode()).isEqualTo(1);

      // Active / inactive.
      assertThat(c.cli.run("workers", "update-active", "worker1", "0").exitCode()).isZero();
      assertThat(c.rows("SELECT is_active FROM workers WHERE pioreactor_unit = 'worker1'").get(0)).containsEntry("is_active", 0);
      Cluster.awaitTrue("worker1 inactive", Duration.ofSeconds(5), () -> membership(c, "worker1").getInteger("is_active") == 0);
      Cluster.awaitTrue("worker1 halts its activities", Duration.ofSeconds(5),
          () -> c.http.get("/api/logs?unit=worker1").body().contains("halting all activities"));
      assertThat(c.http.send("PUT", "/api/workers/worker1/is_active", "{\"is_active\": 1}").status()).isEqualTo(200);
      Cluster.awaitTrue("worker1 active", Duration.ofSeconds(5), () -> membership(c, "worker1").getInteger("is_active") == 1);

      // Identify, by REST and CLI: the worker logs that it blinks.
      assertThat(c.http.send("POST", "/api/workers/worker1/blink", null).status()).isEqualTo(202);
      assertThat(c.cli.run("blink", "worker2").exitCode()).isZero();
      Cluster.awaitTrue("worker2 blinked", Duration.ofSeconds(5),
          () -> c.http.get("/api/logs?unit=worker2").body().contains("identify: blinking"));

      // Reboot: runs the worker's command once, refuses a second within 15 s.
      Http.Response reboot = c.http.send("POST", "/api/units/worker1/system/reboot", null);
      assertThat(reboot.status()).isEqualTo(202);
      assertThat(((JsonObject) reboot.json()).getJsonArray("results").getJsonObject(0).getBoolean("ok")).isTrue();
      Cluster.awaitTrue("the reboot command ran", Duration.ofSeconds(5), () -> Files.exists(dir.resolve("rebooted-worker1")));
      JsonArray again = ((JsonObject) c.http.send("POST", "/api/units/worker1/system/reboot", null).json()).getJsonArray("results");
      assertThat(again.getJsonObject(0).getString("error")).startsWith("rate limited");
      assertThat(c.cli.run("pios", "reboot", "--units", "worker2").out()).contains("rebooting");

      // Remove: row and assignment gone, history and logs kept, retained membership says "removed".
      assertThat(c.http.send("PUT", "/api/experiments/exp2/workers", "{\"pioreactor_unit\": \"worker1\"}").status()).isEqualTo(200);
      assertThat(c.http.send("DELETE", "/api/workers/worker1", null).status()).isEqualTo(202);
      assertThat(c.cli.run("workers", "remove", "worker2").exitCode()).isZero();
      assertThat(c.rows("SELECT * FROM workers")).isEmpty();
      assertThat(c.rows("SELECT * FROM experiment_worker_assignments")).isEmpty();
      assertThat(c.rows("SELECT * FROM experiment_worker_assignments_history WHERE pioreactor_unit = 'worker1'")).hasSize(2);
      assertThat(c.rows("SELECT * FROM logs WHERE pioreactor_unit = 'worker1'")).isNotEmpty();
      Cluster.awaitTrue("memberships say removed", Duration.ofSeconds(5),
          () -> !membership(c, "worker1").getBoolean("in_inventory") && !membership(c, "worker2").getBoolean("in_inventory"));
      assertThat(c.cli.run("workers", "remove", "worker2").exitCode()).isEqualTo(1);
    }
  }
}
