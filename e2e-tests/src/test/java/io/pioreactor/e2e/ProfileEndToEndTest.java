package io.pioreactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Topics;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A profile run from the CLI over a leader and three worker processes: only the right units act, in time. */
class ProfileEndToEndTest {
  static final String PROFILE = """
      version: "1.0"
      experiment_profile_name: e2e profile
      metadata:
        description: second-scale times
      common:
        jobs:
          stirring:
            actions:
              - type: start
                t: 0s
                options: {target_rpm: 300}
              - type: update
                t: 2s
                options: {target_rpm: 600}
              - type: stop
                t: 4s
      pioreactors:
        w1:
          jobs:
            led_intensity:
              actions:
                - {type: start, t: 1s, options: {A: 20}}
                - {type: log, t: 3s, options: {message: "w1 block done"}}
                - {type: stop, t: 3s}
        w3:
          jobs:
            od_reading:
              actions:
                - {type: start, t: 1s}
      """;

  @TempDir
  Path dir;

  @Test
  @DisplayName("three workers: the active assigned one acts at the right times, the inactive and the unassigned ones do nothing")
  void profileOverThreeWorkers() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(false);
      for (String w : List.of("w1", "w2", "w3")) {
        c.startWorker(w);
        assertThat(c.http.send("POST", "/api/workers/setup", "{\"name\": \"" + w + "\"}").status()).isEqualTo(200);
      }
      assertThat(c.http.send("POST", "/api/experiments", "{\"experiment\": \"e1\"}").status()).isEqualTo(201);
      for (String w : List.of("w1", "w2")) {
        assertThat(c.http.send("PUT", "/api/experiments/e1/workers", "{\"pioreactor_unit\": \"" + w + "\"}").status()).isEqualTo(200);
      }
      assertThat(c.http.send("PUT", "/api/workers/w2/is_active", "{\"is_active\": 0}").status()).isEqualTo(200);
      Path file = dir.resolve("profile.yaml");
      Files.writeString(file, PROFILE);

      // A dry run says who each action would reach, and starts nothing.
      Cli.Result dry = c.cli.run("run", "experiment_profile", "execute", file.toString(), "e1", "--dry-run");
      assertThat(dry.exitCode()).as(dry.all()).isZero();
      assertThat(dry.out()).containsPattern("0s\\s+common\\s+stirring\\s+start\\s+w1\\n")
          .containsPattern("1s\\s+w3\\s+od_reading\\s+start\\s+skipped: w3 is not assigned to e1");

      // When each job state first appeared, relative to the run's start.
      Map<String, Long> firstSeen = new ConcurrentHashMap<>();
      long t0 = System.nanoTime();
      Thread watcher = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          c.retained.forEach((topic, value) -> {
            if (topic.startsWith("pioreactor/w") && (topic.endsWith("/$state") || topic.endsWith("/target_rpm")) && !topic.contains("monitor")) {
              firstSeen.putIfAbsent(topic.substring("pioreactor/".length()) + "=" + value, (System.nanoTime() - t0) / 1_000_000);
            }
          });
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      watcher.start();
      Cli.Result run = c.cli.run("run", "experiment_profile", "execute", file.toString(), "e1");
      watcher.interrupt();
      assertThat(run.exitCode()).as(run.all()).isZero();
      assertThat(run.out()).contains("Profile finished: 7 actions, 1 skipped, 0 failed");

      // The run's t=0 as seen here: stirring's init, a few ms after the action fired (its session connecting), so
      // each later action is checked against its planned time less that much slack; order is checked exactly.
      long start = firstSeen.get("w1/e1/stirring/$state=init");
      long slack = 200;
      List<String> planned = List.of("w1/e1/stirring/$state=ready", "w1/e1/led_intensity/$state=ready",
          "w1/e1/stirring/target_rpm=600.0", "w1/e1/led_intensity/$state=disconnected", "w1/e1/stirring/$state=disconnected");
      assertThat(planned).allSatisfy(k -> assertThat(firstSeen).containsKey(k));
      assertThat(planned.stream().map(firstSeen::get).toList()).isSorted();
      assertThat(firstSeen.get("w1/e1/led_intensity/$state=ready")).isGreaterThanOrEqualTo(start + 1000 - slack);
      assertThat(firstSeen.get("w1/e1/stirring/target_rpm=600.0")).isGreaterThanOrEqualTo(start + 2000 - slack);
      assertThat(firstSeen.get("w1/e1/led_intensity/$state=disconnected")).isGreaterThanOrEqualTo(start + 3000 - slack);
      assertThat(firstSeen.get("w1/e1/stirring/$state=disconnected")).isGreaterThanOrEqualTo(start + 4000 - slack);
      assertThat(firstSeen.keySet()).noneMatch(k -> k.startsWith("w2/") || k.startsWith("w3/"));
      assertThat(c.http.get("/api/logs?limit=50").body()).contains("w1 block done").contains("skipped start od_reading on w3");
      // The CLI ends on the progress message "finished"; the job's own state follows it.
      Cluster.awaitTrue("the profile job disconnected", Duration.ofSeconds(10),
          () -> "disconnected".equals(c.retained.get(Topics.jobState("leader", "e1", Jobs.EXPERIMENT_PROFILE))));
      assertThat(new JsonObject(c.retained.get(Topics.job("leader", "e1", Jobs.EXPERIMENT_PROFILE, "progress"))).getString("state"))
          .isEqualTo("finished");

      // A malformed profile is refused with its line, through the CLI, and starts nothing.
      Files.writeString(file, PROFILE.replace("options: {A: 20}", "optons: {A: 20}"));
      Cli.Result bad = c.cli.run("run", "experiment_profile", "execute", file.toString(), "e1");
      assertThat(bad.exitCode()).isEqualTo(1);
      assertThat(bad.all()).contains("line 22, column 34: unknown field 'optons'");
      Cluster.awaitTrue("still nothing running", Duration.ofSeconds(1), () -> true);
      assertThat(c.http.get("/api/units/w1/activities").body()).isEqualTo("[]");
    }
  }
}
