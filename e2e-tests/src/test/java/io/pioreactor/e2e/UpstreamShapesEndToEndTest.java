package io.pioreactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.testing.JsonSchemas;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What upstream's web app reads and does on its Inventory page, against the real daemons (leader with its embedded
 * broker, worker daemons as processes): every answer in upstream's shape (the hand-written schemas shared with
 * UpstreamContractTest), and every action carried out by the worker itself.
 */
class UpstreamShapesEndToEndTest {
  private static final Duration SOON = Duration.ofSeconds(15);
  private final JsonSchemas schemas = new JsonSchemas();

  @TempDir
  Path dir;

  /** Sends, checks the status and the body's schema, returns the body. */
  private Object expect(Cluster c, String method, String path, String body, int status, String schema) {
    Http.Response r = c.http.send(method, path, body);
    assertThat(r.status()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
    Object json = Json.decodeValue(r.body());
    assertThat(schemas.check(schema, json)).as(method + " " + path + " against schema " + schema).isEmpty();
    return json;
  }

  @Test
  @DisplayName("upstream's Inventory page against the real daemons: its reads in upstream's shapes, its actions carried out by the workers")
  void inventoryAgainstRealDaemons() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(false);
      c.startWorker("w1");
      c.startWorker("w2");
      c.startWorker("newcomer");
      expect(c, "POST", "/api/workers/setup", "{\"name\": \"w2\"}", 200, "success");
      expect(c, "POST", "/api/workers/setup", "{\"name\": \"w1\"}", 200, "success");

      // What the page reads.
      JsonArray workers = (JsonArray) expect(c, "GET", "/api/workers", null, 200, "workers");
      assertThat(workers.stream().map(o -> ((JsonObject) o).getString("pioreactor_unit")).toList()).containsExactly("w1", "w2");
      assertThat(workers.getJsonObject(0).getString("model_name")).as("the model the worker reports").isEqualTo("pioreactor_40ml");
      expect(c, "GET", "/api/models", null, 200, "models");
      expect(c, "GET", "/api/workers/w1/model", null, 200, "worker_model");
      expect(c, "GET", "/api/jobs/descriptors", null, 200, "job_descriptors");
      expect(c, "GET", "/api/local_access_point", null, 200, "local_access_point");
      expect(c, "GET", "/unit_api/system/disk_space", null, 200, "disk_space");
      expect(c, "GET", "/unit_api/versions/app", null, 200, "app_version");
      expect(c, "GET", "/unit_api/usb", null, 200, "usb");
      String ini = c.http.get("/api/config/shared").body();
      assertThat(ini).contains("[cluster.topology]").contains("[mqtt]").containsPattern("broker_ws_port\\s*=\\s*\\d+");
      JsonArray found = (JsonArray) expect(c, "GET", "/api/workers/discover", null, 200, "discovered");
      assertThat(found.stream().map(o -> ((JsonObject) o).getString("pioreactor_unit")).toList()).containsExactly("newcomer");

      expect(c, "POST", "/api/experiments", "{\"experiment\": \"e1\"}", 201, "experiment");
      expect(c, "PUT", "/api/experiments/e1/workers", "{\"pioreactor_unit\": \"w1\"}", 200, "success");
      expect(c, "GET", "/api/experiments", null, 200, "experiments");
      assertThat(((JsonObject) expect(c, "GET", "/api/experiments/latest", null, 200, "experiment_or_null")).getString("experiment"))
          .isEqualTo("e1");
      assertThat(((JsonObject) expect(c, "GET", "/api/workers/w1/experiment", null, 200, "worker_experiment")).getString("experiment"))
          .isEqualTo("e1");
      expect(c, "GET", "/api/workers/w2/experiment", null, 404, "error");

      // What the page does, each carried out by the worker daemon.
      expect(c, "POST", "/api/workers/w1/blink", null, 202, "accepted");
      Cluster.awaitTrue("w1 blinked its LED", SOON, () -> c.http.get("/api/logs?unit=w1&limit=20").body().contains("identify: blinking the LED"),
          c.daemon("w1"));
      Http.Response run = c.http.send("PATCH", Cluster.runJobPath("w1", "e1", Jobs.STIRRING), "{\"options\": {}, \"args\": []}");
      assertThat(run.status()).as(run.body()).isEqualTo(200);
      Cluster.awaitTrue("w1 stirring", SOON, () -> "ready".equals(c.retained.get(Topics.jobState("w1", "e1", Jobs.STIRRING))));
      expect(c, "PUT", "/api/workers/w1/is_active", "{\"is_active\": 0}", 200, "success");
      Cluster.awaitTrue("inactive w1 halted its stirring", SOON,
          () -> "disconnected".equals(c.retained.get(Topics.jobState("w1", "e1", Jobs.STIRRING))), c.daemon("w1"));
      expect(c, "PUT", "/api/workers/w1/is_active", "{\"is_active\": 1}", 200, "success");
      expect(c, "DELETE", "/api/experiments/e1/workers/w1", null, 200, "success");
      expect(c, "GET", "/api/workers/w1/experiment", null, 404, "error");
      expect(c, "PUT", "/api/workers/w2/model", "{\"model_name\": \"pioreactor_20ml\", \"model_version\": \"1.5\"}", 200, "success");
      expect(c, "PUT", "/api/workers/w2/model", "{\"model_name\": \"pioreactor_90ml\", \"model_version\": \"9\"}", 400, "error");

      // Unassign all workers (DELETE /api/workers/assignments): upstream's task answer, and every assignment gone.
      expect(c, "PUT", "/api/experiments/e1/workers", "{\"pioreactor_unit\": \"w1\"}", 200, "success");
      JsonObject unassignAll = (JsonObject) expect(c, "DELETE", "/api/workers/assignments", null, 202, "task");
      JsonObject unassigned = (JsonObject) expect(c, "GET", unassignAll.getString("result_url_path"), null, 200, "task_result");
      assertThat(unassigned.getJsonObject("result").getJsonObject("w1").getBoolean("ok")).as(unassigned.encode()).isTrue();
      assertThat(((JsonArray) Json.decodeValue(c.http.get("/api/workers/assignments").body())).stream()
          .map(o -> ((JsonObject) o).getValue("experiment"))).containsOnlyNulls();
      expect(c, "GET", "/api/workers/w1/experiment", null, 404, "error");

      for (String action : new String[] {"reboot", "shutdown"}) {
        JsonObject task = (JsonObject) expect(c, "POST", "/api/units/w2/system/" + action, null, 202, "task");
        JsonObject result = (JsonObject) expect(c, "GET", task.getString("result_url_path"), null, 200, "task_result");
        assertThat(result.getJsonObject("result").getJsonObject("w2").getBoolean("ok")).as(action + ": " + result).isTrue();
      }
      // The workers ran their configured commands (harmless ones in tests).
      Cluster.awaitTrue("w2 ran its reboot and shutdown commands", SOON,
          () -> Files.exists(dir.resolve("rebooted-w2")) && Files.exists(dir.resolve("shut-down-w2")));

      expect(c, "DELETE", "/api/workers/w2", null, 202, "success");
      assertThat(((JsonArray) expect(c, "GET", "/api/workers", null, 200, "workers")).size()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("upstream's Leader page against the real leader (also a worker): its /unit_api/system reads in upstream's shapes, the file browser confined to the data directory")
  void leaderPageAgainstRealDaemons() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(true);
      c.startWorker("leader");
      JsonObject ip = (JsonObject) expect(c, "GET", "/unit_api/system/ipv4", null, 200, "system_ipv4");
      assertThat(ip.getString("ipv4_address")).satisfiesAnyOf(a -> assertThat(a).isNull(),
          a -> assertThat(io.pioreactor.protocol.Names.isIpv4(a)).isTrue());
      JsonObject mem = (JsonObject) expect(c, "GET", "/unit_api/system/memory", null, 200, "system_memory");
      assertThat(mem.getLong("available_bytes")).isPositive().isLessThanOrEqualTo(mem.getLong("total_bytes"));
      expect(c, "GET", "/unit_api/system/disk_space", null, 200, "disk_space");
      JsonObject clock = (JsonObject) expect(c, "GET", "/unit_api/system/utc_clock", null, 200, "utc_clock");
      assertThat(java.time.Duration.between(java.time.Instant.parse(clock.getString("clock_time")), java.time.Instant.now()).abs())
          .isLessThan(java.time.Duration.ofMinutes(1));
      assertThat(((JsonObject) expect(c, "GET", "/unit_api/system/web_server/status", null, 200, "web_server_status"))
          .getString("state")).isEqualTo("ready");
      Cluster.awaitTrue("the leader's monitor among its long-running jobs", SOON, () -> ((JsonArray) expect(c, "GET",
          "/unit_api/long_running_jobs/running", null, 200, "long_running_jobs")).stream()
          .map(o -> ((JsonObject) o).getString("job_name")).toList().containsAll(java.util.List.of("monitor", "mqtt_to_db_streaming")));
      JsonArray jobs = (JsonArray) expect(c, "GET", "/unit_api/long_running_jobs/running", null, 200, "long_running_jobs");
      assertThat(jobs.stream().map(o -> ((JsonObject) o).getInteger("is_long_running_job"))).containsOnly(1);

      // The file browser: the data directory, read only, nothing outside it, no database, no broker files.
      Files.writeString(dir.resolve("leader/notes.txt"), "hello from the data dir");
      JsonObject root = (JsonObject) expect(c, "GET", "/unit_api/system/path/", null, 200, "system_path");
      java.util.List<String> files = root.getJsonArray("files").stream().map(String.class::cast).toList();
      assertThat(files).contains("notes.txt", "pioreactor.sqlite").isSorted();
      assertThat(c.http.get("/unit_api/system/path/notes.txt").body()).isEqualTo("hello from the data dir");
      expect(c, "GET", "/unit_api/system/path/pioreactor.sqlite", null, 403, "error");
      expect(c, "GET", "/unit_api/system/path/no-such-file", null, 404, "error");
      // (refused before any route by the API's path guard, encoded or not)
      expect(c, "GET", "/unit_api/system/path/%2e%2e/%2e%2e/etc/passwd", null, 400, "error");
      Files.createSymbolicLink(dir.resolve("leader/outside"), Path.of("/etc"));
      expect(c, "GET", "/unit_api/system/path/outside/hostname", null, 403, "error");
    }
  }
}
