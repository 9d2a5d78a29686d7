package io.pioreactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.protocol.CommandRequest;
import io.pioreactor.protocol.JobRun;
import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Protocol;
import io.pioreactor.protocol.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs across separate leader and worker processes on Debian's mosquitto: what "inactive" means, enforced by the
 * worker whoever asks, including a worker that was unreachable when it was deactivated.
 */
class ActivitiesEndToEndTest {
  private static final Duration SOON = Duration.ofSeconds(10);

  @TempDir
  Path dir;

  private static String state(Cluster c, String unit, String job) {
    return c.retained.get(Topics.jobState(unit, "e1", job));
  }

  /** Whether the watcher heard {@code payload} on {@code topic} since the {@code mark}-th message. */
  private static boolean heardSince(Cluster c, int mark, String topic, String payload) {
    synchronized (c.seen) {
      return c.seen.subList(mark, c.seen.size()).contains(topic + " " + payload);
    }
  }

  private static double duty(Cluster c, String unit, String pin) {
    String dc = c.retained.get(Topics.pwmDutyCycles(unit));
    return dc == null ? -1 : new JsonObject(dc).getDouble(pin, 0.0);
  }

  @Test
  @DisplayName("inactive workers halt their jobs (PWM 0), refuse new ones through REST, CLI and raw MQTT, even when deactivated while away")
  void inactiveMeansNoActivities() throws Exception {
    try (Cluster c = new Cluster(dir, false)) {
      c.startLeader(false);
      c.startWorker("w1");
      c.startWorker("w2");
      c.addAndAssign("e1", "w1", "w2");

      // stirring through REST on each worker, od_reading through the CLI fan-out
      for (String w : List.of("w1", "w2")) {
        Http.Response r = c.http.send("POST", "/api/workers/" + w + "/jobs/run/job_name/stirring/experiments/e1",
            "{\"options\": {\"target_rpm\": 400}}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
      }
      Cli.Result fan = c.cli.run("pios", "run", "od_reading", "--interval", "0.5");
      assertThat(fan.exitCode()).as(fan.all()).isZero();
      assertThat(fan.out()).containsPattern("w1\\s+e1\\s+started").containsPattern("w2\\s+e1\\s+started");
      Cluster.awaitTrue("every job ready, stirring PWM on", SOON, () -> List.of("w1", "w2").stream().allMatch(w ->
          "ready".equals(state(c, w, Jobs.STIRRING)) && "ready".equals(state(c, w, Jobs.OD_READING)) && duty(c, w, "17") == 25.0));
      Http.Response running = c.http.get("/api/units/w1/activities");
      assertThat(running.body()).contains("stirring").contains("od_reading");

      // w1 inactive: its jobs stop, its PWM goes to 0; w2 keeps running
      assertThat(c.http.send("PUT", "/api/workers/w1/is_active", "{\"is_active\": 0}").status()).isEqualTo(200);
      Cluster.awaitTrue("w1's jobs disconnected and PWM 0", SOON, () -> "disconnected".equals(state(c, "w1", Jobs.STIRRING))
          && "disconnected".equals(state(c, "w1", Jobs.OD_READING)) && duty(c, "w1", "17") == 0.0, c.daemon("w1"));
      assertThat(state(c, "w2", Jobs.STIRRING)).isEqualTo("ready");
      assertThat(duty(c, "w2", "17")).isEqualTo(25.0);

      // refused through REST, CLI and a raw MQTT command
      Http.Response rest = c.http.send("POST", "/api/workers/w1/jobs/run/job_name/stirring/experiments/e1", "{}");
      assertThat(rest.status()).isEqualTo(409);
      assertThat(rest.body()).contains("inactive");
      Cli.Result one = c.cli.run("run", "stirring", "--unit", "w1", "--experiment", "e1");
      assertThat(one.exitCode()).isEqualTo(1);
      assertThat(one.all()).contains("inactive");
      Cli.Result all = c.cli.run("pios", "run", "led_intensity", "--A", "10");
      assertThat(all.out()).containsPattern("w1\\s+e1\\s+skipped: inactive").containsPattern("w2\\s+e1\\s+started");
      c.publishAsLeader(Topics.command("w1", Protocol.RUN_JOB),
          new CommandRequest("raw-1", new JobRun(Jobs.STIRRING, "e1", new JsonObject(), List.of()).toJson()).toBuffer().toString());
      Cluster.awaitTrue("w1 refuses the raw command", SOON, () -> c.retained.getOrDefault(Topics.commandReply("w1", Protocol.RUN_JOB), "")
          .contains("raw-1") && c.retained.get(Topics.commandReply("w1", Protocol.RUN_JOB)).contains("inactive"));
      assertThat(state(c, "w1", Jobs.STIRRING)).isEqualTo("disconnected");

      // w2 unreachable (frozen) while it is set inactive: it halts its jobs as soon as it is back
      c.daemon("w2").pause();
      Cluster.awaitTrue("w2 lost", Duration.ofSeconds(4L * Cluster.KEEPALIVE_S + 2),
          () -> "lost".equals(c.retained.get(Topics.monitorState("w2"))));
      assertThat(c.http.send("PUT", "/api/workers/w2/is_active", "{\"is_active\": 0}").status()).isEqualTo(200);
      c.daemon("w2").resume();
      Cluster.awaitTrue("w2's jobs disconnected and PWM 0 after it returned", Duration.ofSeconds(15), () ->
          "disconnected".equals(state(c, "w2", Jobs.STIRRING)) && "disconnected".equals(state(c, "w2", Jobs.OD_READING))
              && "disconnected".equals(state(c, "w2", Jobs.LED_INTENSITY)) && duty(c, "w2", "17") == 0.0, c.daemon("w2"));

      // the leader kept the activity history
      JsonArray history = (JsonArray) c.http.get("/api/units/w1/jobs/history?limit=1000").json();
      assertThat(history.stream().map(o -> (JsonObject) o).filter(o -> o.getString("job_name").equals("stirring")
          && o.getString("attribute").equals("$state")).map(o -> o.getString("value")).toList()).contains("ready", "disconnected");
    }
  }

  @Test
  @DisplayName("a worker killed with SIGKILL shows lost on every job topic within twice its keepalive")
  void deadWorkerJobsAreLost() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(false);
      c.startWorker("w1");
      c.addAndAssign("e1", "w1");
      for (String job : List.of(Jobs.STIRRING, Jobs.OD_READING, Jobs.LED_INTENSITY)) {
        Http.Response r = c.http.send("POST", "/api/workers/w1/jobs/run/job_name/" + job + "/experiments/e1", "{}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
      }
      long t0 = System.nanoTime();
      c.daemon("w1").kill();
      Cluster.awaitTrue("lost on every job", Duration.ofSeconds(2L * Cluster.KEEPALIVE_S + 2), () ->
          List.of(Jobs.STIRRING, Jobs.OD_READING, Jobs.LED_INTENSITY).stream().allMatch(j -> "lost".equals(state(c, "w1", j))));
      System.out.printf("every job of w1 showed lost %.2f s after SIGKILL (keepalive %d s)%n", (System.nanoTime() - t0) / 1e9,
          Cluster.KEEPALIVE_S);
    }
  }

  @Test
  @DisplayName("bad job requests get precise 4xx errors and start nothing")
  void badRequests() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(false);
      c.startWorker("w1");
      assertThat(c.http.send("POST", "/api/workers/setup", "{\"name\": \"w1\"}").status()).isEqualTo(200);
      assertThat(c.http.send("POST", "/api/experiments", "{\"experiment\": \"e1\"}").status()).isEqualTo(201);
      String base = "/api/workers/w1/jobs/run/job_name/";
      assertThat(c.http.send("POST", base + "stirring/experiments/e1", "{}").body()).contains("not assigned");
      assertThat(c.http.send("PUT", "/api/experiments/e1/workers", "{\"pioreactor_unit\": \"w1\"}").status()).isEqualTo(200);
      record Case(String path, String body, int status, String says) {}
      for (Case k : List.of(
          new Case(base + "stirring/experiments/e1", "{\"options\": {\"target_rpm\": \"fast\"}}", 400, "target_rpm must be a number"),
          new Case(base + "stirring/experiments/e1", "{\"options\": {\"target_rpm\": 1e9}}", 400, "between 0 and 5000"),
          new Case(base + "stirring/experiments/e1", "{\"options\": [1]}", 400, "'options' must be an object"),
          new Case(base + "stirring/experiments/e1", "{\"options\": {\"rpm\": 3}}", 400, "unknown option"),
          new Case(base + "add_media/experiments/e1", "{\"options\": {}}", 400, "exactly one of ml or duration"),
          new Case(base + "Stirring;reboot/experiments/e1", "{}", 400, "invalid job name"),
          new Case(base + "warp_drive/experiments/e1", "{}", 400, "unknown job"),
          new Case(base + "stirring/experiments/e2", "{}", 404, "no experiment named 'e2'"),
          new Case("/api/workers/nobody/jobs/run/job_name/stirring/experiments/e1", "{}", 404, "not in the inventory"),
          new Case(base + "stirring/experiments/e1", "{not json", 400, ""))) {
        Http.Response r = c.http.send("POST", k.path(), k.body());
        assertThat(r.status()).as(k.path() + " " + k.body() + " → " + r.body()).isEqualTo(k.status());
        assertThat(r.body()).contains("\"error\"").contains(k.says());
      }
      assertThat(c.retained.keySet()).noneMatch(t -> t.startsWith("pioreactor/w1/e1/") && t.endsWith("/$state"));
    }
  }

  @Test
  @DisplayName("pios kill / pio kill stop jobs by name or all; removing a worker stops its jobs; its history stays queryable")
  void removalStopsJobsHistoryStays() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(false);
      c.startWorker("w1");
      c.addAndAssign("e1", "w1");
      assertThat(c.http.send("POST", "/api/workers/w1/jobs/run/job_name/stirring/experiments/e1", "{}").status()).isEqualTo(200);
      assertThat(c.http.send("POST", "/api/workers/w1/jobs/run/job_name/od_reading/experiments/e1", "{}").status()).isEqualTo(200);
      Cluster.awaitTrue("PWM on", SOON, () -> duty(c, "w1", "17") > 0);

      // pios kill one job by name; pio kill --all-jobs on the unit
      Cli.Result kill = c.cli.run("pios", "kill", "--job-name", "od_reading");
      assertThat(kill.exitCode()).as(kill.all()).isZero();
      assertThat(kill.out()).containsPattern("w1\\s+od_reading");
      Cluster.awaitTrue("od_reading stopped", SOON, () -> "disconnected".equals(state(c, "w1", Jobs.OD_READING)));
      assertThat(state(c, "w1", Jobs.STIRRING)).isEqualTo("ready");
      assertThat(c.cli.run("kill", "--all-jobs", "--unit", "w1").out()).containsPattern("w1\\s+stirring");
      Cluster.awaitTrue("stirring stopped", SOON, () -> "disconnected".equals(state(c, "w1", Jobs.STIRRING)), c.daemon("w1"));
      assertThat(c.cli.run("pios", "kill").exitCode()).as("kill needs --job-name or --all-jobs").isEqualTo(2);
      assertThat(c.http.send("POST", "/api/workers/w1/jobs/run/job_name/stirring/experiments/e1", "{}").status()).isEqualTo(200);
      Cluster.awaitTrue("PWM on again", SOON, () -> duty(c, "w1", "17") > 0);

      int mark = c.seen.size();
      assertThat(c.http.send("DELETE", "/api/workers/w1", null).status()).isEqualTo(202);
      Cluster.awaitTrue("stirring said disconnected, PWM 0", SOON, () -> heardSince(c, mark, Topics.jobState("w1", "e1", Jobs.STIRRING),
          "disconnected") && duty(c, "w1", "17") == 0.0, c.daemon("w1"));
      // Then nothing of e1 stays retained (w1 has left it), even if a late will says lost.
      Cluster.awaitTrue("stirring's state cleared", SOON, () -> state(c, "w1", Jobs.STIRRING) == null, c.daemon("w1"));
      Thread.sleep(1_500);
      assertThat(state(c, "w1", Jobs.STIRRING)).as("stirring's state, 1.5 s on").isNull();
      JsonArray history = (JsonArray) c.http.get("/api/units/w1/jobs/history").json();
      assertThat(history.stream().map(o -> ((JsonObject) o).getString("value")).toList()).contains("ready", "disconnected");
      Http.Response refused = c.http.send("POST", "/api/workers/w1/jobs/run/job_name/stirring/experiments/e1", "{}");
      assertThat(refused.status()).isEqualTo(404);
    }
  }

  @Test
  @DisplayName("a worker removed while it was unreachable halts its jobs as soon as it is back")
  void removedWhileAway() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(false);
      c.startWorker("w1");
      c.addAndAssign("e1", "w1");
      assertThat(c.http.send("POST", "/api/workers/w1/jobs/run/job_name/stirring/experiments/e1", "{}").status()).isEqualTo(200);
      Cluster.awaitTrue("PWM on", SOON, () -> duty(c, "w1", "17") > 0);
      c.daemon("w1").pause();
      Cluster.awaitTrue("w1 lost", Duration.ofSeconds(4L * Cluster.KEEPALIVE_S + 2), () -> "lost".equals(c.retained.get(Topics.monitorState("w1"))));
      Cluster.awaitTrue("stirring lost", SOON, () -> "lost".equals(state(c, "w1", Jobs.STIRRING)));
      assertThat(c.http.send("DELETE", "/api/workers/w1", null).status()).isEqualTo(202);
      c.daemon("w1").resume();
      // Its job's session was away too, so the job cannot say disconnected; the lost its will left is cleared.
      Cluster.awaitTrue("stirring halted, its lost cleared, PWM 0 after it returned", Duration.ofSeconds(15), () ->
          state(c, "w1", Jobs.STIRRING) == null && duty(c, "w1", "17") == 0.0, c.daemon("w1"));
      Thread.sleep(1_500);
      assertThat(state(c, "w1", Jobs.STIRRING)).as("stirring's state, 1.5 s on").isNull();
      Cluster.awaitTrue("the worker says why", SOON, () -> c.http.get("/api/logs?unit=w1&limit=20").body().contains("removed from the inventory"));
    }
  }
}
