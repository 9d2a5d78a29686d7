package io.pioreactor.e2e;

import io.pioreactor.protocol.testing.TestCredentials;
import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Membership;
import io.pioreactor.protocol.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers unplugged from the network (their link taken down: no clean close, packets just stop) while the leader
 * decides about them, and one killed with SIGKILL meanwhile. On return each converges to the leader's decision
 * before anything else: a job that should no longer run never says {@code ready} again.
 */
class NetworkCutTest {
  private static final String LEADER_IP = NetworkNamespaces.SUBNET + "1";
  private static final int KEEPALIVE_S = 2;
  private static final Duration SOON = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  private final List<DaemonProcess> daemons = new ArrayList<>();
  private Map<String, String> retained;
  private List<String> seen;

  private DaemonProcess start(List<String> host, String name, Path jar, JsonObject config) throws Exception {
    DaemonProcess d = DaemonProcess.startIn(host, dir, name, jar, config);
    daemons.add(d);
    return d;
  }

  private TestCredentials credentials;

  private DaemonProcess startWorker(List<String> host, String unit) throws Exception {
    return start(host, unit, DaemonProcess.WORKER_JAR, new JsonObject()
        .put("mqtt", credentials.workerMqtt(unit, LEADER_IP, 1883, KEEPALIVE_S))
        .put("hardware", new JsonObject().put("platform", "mock"))
        .put("discovery", new JsonObject().put("enabled", false))
        .put("reboot_command", new JsonArray().add("true")).put("shutdown_command", new JsonArray().add("true"))
        .put("state_dir", dir.resolve("state").toString()));
  }

  private String state(String unit, String experiment, String job) {
    return retained.get(Topics.jobState(unit, experiment, job));
  }

  private double stirringDuty(String unit) {
    String dc = retained.get(Topics.pwmDutyCycles(unit));
    return dc == null ? -1 : new JsonObject(dc).getDouble("17", 0.0);
  }

  private Membership membership(String unit) {
    String m = retained.get(Topics.assignment(unit));
    return m == null ? null : Membership.fromBuffer(Buffer.buffer(m));
  }

  /** Every payload seen on {@code topic} from index {@code from} of {@link #seen} on. */
  private List<String> seenSince(int from, String topic) {
    synchronized (seen) {
      return seen.subList(from, seen.size()).stream().filter(s -> s.startsWith(topic + " "))
          .map(s -> s.substring(topic.length() + 1)).toList();
    }
  }

  @Test
  @DisplayName("workers cut off while set inactive, reassigned, removed, and one killed meanwhile: each converges to the leader's decision on return, before anything else")
  void cutOffWorkersConverge() throws Exception {
    String why = NetworkNamespaces.unavailable();
    Assumptions.assumeTrue(why == null, why);
    Http http = new Http("http://" + LEADER_IP + ":8080");
    Vertx vertx = Vertx.vertx();
    credentials = new TestCredentials(dir.resolve("broker.passwd"));
    try (NetworkNamespaces net = new NetworkNamespaces()) {
      DaemonProcess leader = start(net.host("leader", 1), "leader", DaemonProcess.LEADER_JAR, new JsonObject()
          .put("http", new JsonObject().put("host", "0.0.0.0").put("port", 8080))
          .put("broker", new JsonObject().put("host", "0.0.0.0").put("port", 1883).put("ws_port", 9001)
              .put("password_file", credentials.file.toString()))
          .put("mqtt", new JsonObject().put("keepalive_seconds", KEEPALIVE_S))
          .put("database", new JsonObject().put("path", dir.resolve("leader.sqlite").toString()))
          .put("discovery", new JsonObject().put("enabled", false)));
      Cluster.awaitTrue("the leader", Duration.ofSeconds(60), () -> http.get("/api/health").body().contains("\"mqtt_connected\":true"), leader);
      TopicWatcher watcher = new TopicWatcher(vertx, "cut-watcher", LEADER_IP, 1883, TestCredentials.WEB_USER,
          credentials.password(TestCredentials.WEB_USER));
      watcher.connect();
      retained = watcher.retained;
      seen = watcher.seen;

      List<String> units = List.of("w1", "w2", "w3", "w4");
      Map<String, List<String>> hosts = new java.util.HashMap<>();
      Map<String, DaemonProcess> workers = new java.util.HashMap<>();
      for (int i = 0; i < units.size(); i++) {
        String w = units.get(i);
        hosts.put(w, net.host(w, 11 + i));
        workers.put(w, startWorker(hosts.get(w), w));
      }
      for (String w : units) {
        Cluster.awaitTrue(w + " ready", Duration.ofSeconds(60), () -> "ready".equals(retained.get(Topics.monitorState(w))), workers.get(w));
        assertThat(http.send("POST", "/api/workers/setup", new JsonObject().put("name", w).encode()).status()).isEqualTo(200);
      }
      for (String e : List.of("e1", "e2")) {
        assertThat(http.send("POST", "/api/experiments", new JsonObject().put("experiment", e).encode()).status()).isEqualTo(201);
      }
      for (String w : units) {
        assertThat(http.send("PUT", "/api/experiments/e1/workers", new JsonObject().put("pioreactor_unit", w).encode()).status()).isEqualTo(200);
        Http.Response run = http.send("POST", "/api/workers/" + w + "/jobs/run/job_name/stirring/experiments/e1", "{}");
        assertThat(run.status()).as(run.body()).isEqualTo(200);
      }
      Cluster.awaitTrue("stirring on every worker", SOON, () -> units.stream().allMatch(w ->
          "ready".equals(state(w, "e1", Jobs.STIRRING)) && stirringDuty(w) > 0));

      // Unplug w1-w3 and kill w4; wait until the broker has noticed (their wills fired).
      for (String w : List.of("w1", "w2", "w3")) {
        net.cut(w);
      }
      workers.get("w4").kill();
      Cluster.awaitTrue("all four lost", Duration.ofSeconds(4L * KEEPALIVE_S + 4), () -> units.stream()
          .allMatch(w -> "lost".equals(retained.get(Topics.monitorState(w)))));

      // The leader decides while they are away; each decision is acknowledged.
      assertThat(http.send("PUT", "/api/workers/w1/is_active", "{\"is_active\": 0}").status()).isEqualTo(200);
      assertThat(http.send("PUT", "/api/experiments/e2/workers", new JsonObject().put("pioreactor_unit", "w2").encode()).status()).isEqualTo(200);
      assertThat(http.send("DELETE", "/api/workers/w3", null).status()).isBetween(200, 202);
      assertThat(http.send("PUT", "/api/experiments/e2/workers", new JsonObject().put("pioreactor_unit", "w4").encode()).status()).isEqualTo(200);
      Thread.sleep(2L * KEEPALIVE_S * 1000); // away for a while: the cut workers' own keepalives expire too

      int back = seen.size();
      for (String w : List.of("w1", "w2", "w3")) {
        net.restore(w);
      }
      workers.put("w4", startWorker(hosts.get("w4"), "w4"));

      Cluster.awaitTrue("w1 inactive: stirring stopped, PWM 0", SOON, () -> "disconnected".equals(state("w1", "e1", Jobs.STIRRING))
          && stirringDuty("w1") == 0.0 && "ready".equals(retained.get(Topics.monitorState("w1"))), workers.get("w1"));
      // A worker that has left e1 (reassigned, removed) keeps nothing retained there: the lost its will left is cleared.
      Cluster.awaitTrue("w2 in e2: its e1 stirring stopped, PWM 0", SOON, () -> state("w2", "e1", Jobs.STIRRING) == null
          && stirringDuty("w2") == 0.0 && membership("w2") != null && "e2".equals(membership("w2").experiment()), workers.get("w2"));
      Cluster.awaitTrue("w3 removed: stirring stopped, PWM 0", SOON, () -> state("w3", "e1", Jobs.STIRRING) == null
          && stirringDuty("w3") == 0.0, workers.get("w3"));
      Cluster.awaitTrue("w4 back, in e2", SOON, () -> "ready".equals(retained.get(Topics.monitorState("w4")))
          && membership("w4") != null && "e2".equals(membership("w4").experiment()), workers.get("w4"));

      // Before anything else: the stale job never announced itself ready again (a job's session waits for the
      // membership before it re-asserts itself), and the worker says why it stopped it.
      for (String w : List.of("w1", "w2", "w3")) {
        assertThat(seenSince(back, Topics.jobState(w, "e1", Jobs.STIRRING))).as(w + "'s stirring after the cut").doesNotContain("ready");
        String log = Files.readString(dir.resolve(w + "/daemon.log"));
        assertThat(log.substring(log.lastIndexOf("as " + w + "-worker"))).as(w + "'s log after it reconnected")
            .containsPattern("stopping stirring: (worker set inactive|assigned to experiment 'e2'|removed from the inventory)");
      }
      assertThat(seenSince(back, Topics.jobState("w4", "e1", Jobs.STIRRING))).doesNotContain("ready");
      for (String w : units) {
        assertThat(http.get("/api/units/" + w + "/activities").body()).as(w).doesNotContain(Jobs.STIRRING);
      }
      // The leader's decisions stand, and the worker still refuses what they forbid.
      assertThat(http.send("POST", "/api/workers/w1/jobs/run/job_name/stirring/experiments/e1", "{}").status()).isEqualTo(409);
      assertThat(http.send("POST", "/api/workers/w4/jobs/run/job_name/stirring/experiments/e1", "{}").status()).isIn(400, 409);
      Http.Response w2 = http.send("POST", "/api/workers/w2/jobs/run/job_name/stirring/experiments/e2", "{}");
      assertThat(w2.status()).as(w2.body()).isEqualTo(200);
      watcher.close();
    } finally {
      new ArrayList<>(daemons).forEach(DaemonProcess::close);
      vertx.close().await();
    }
  }
}
