package io.pioreactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.pioreactor.protocol.ConfigDelivery;
import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.config.Ini;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cluster configuration end to end, on both brokers: real leader and worker daemons, edits through the REST API,
 * what the units run read back from the broker (their retained job settings and configuration status).
 */
class ClusterConfigEndToEndTest {
  private static final Duration SOON = Duration.ofSeconds(20);
  @TempDir
  Path dir;

  private static String shared(Cluster c) {
    Http.Response r = c.http.get("/api/config/shared");
    assertThat(r.status()).isEqualTo(200);
    return r.body();
  }

  private static void patchShared(Cluster c, String text) {
    Http.Response r = c.http.send("PATCH", "/api/config/shared", new JsonObject().put("code", text).encode());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  private static JsonObject status(Cluster c, String unit) {
    return ((JsonObject) c.http.get("/api/config/status").json()).getJsonObject(unit, new JsonObject());
  }

  private static boolean current(Cluster c, String unit, String version) {
    JsonObject s = status(c, unit);
    return "current".equals(s.getString("state")) && (version == null || version.equals(s.getString("version")));
  }

  private static String targetRpm(Cluster c, String unit) {
    return c.retained.get(Topics.job(unit, "e1", Jobs.STIRRING, "target_rpm"));
  }

  /** The worker's log since its latest start (each start says which GPIO platform it uses first). */
  private static String sinceLastStart(Cluster c, String unit) {
    String log;
    try {
      log = Files.readString(c.dir.resolve(unit).resolve("daemon.log"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    int start = log.lastIndexOf("GPIO:");
    return start < 0 ? log : log.substring(start);
  }

  private static String withOption(String text, String section, String key, String value) {
    return Ini.parse(text).with(section, key, value).text();
  }

  @ParameterizedTest(name = "embedded broker: {0}")
  @ValueSource(booleans = {true, false})
  @DisplayName("a shared change reaches every unit, acknowledged; jobs started afterwards use it, running ones keep theirs; a unit's own override wins there only")
  void sharedChangeReachesEveryUnit(boolean embedded) throws Exception {
    try (Cluster c = new Cluster(dir, embedded)) {
      c.startLeader(false);
      c.startWorker("w1");
      c.startWorker("w2");
      c.addAndAssign("e1", "w1", "w2");
      Cluster.awaitTrue("both units run the first version", SOON, () -> current(c, "w1", null) && current(c, "w2", null),
          c.daemon("w1"));
      String first = status(c, "w1").getString("version");

      // w2 runs stirring before the change: it keeps what it started with.
      assertThat(c.http.send("POST", Cluster.runJobPath("w2", "e1", Jobs.STIRRING), "{}").status()).isEqualTo(200);
      Cluster.awaitTrue("w2 stirring at 500", SOON, () -> "500.0".equals(targetRpm(c, "w2")));

      patchShared(c, withOption(shared(c), "stirring.config", "initial_target_rpm", "300"));
      Cluster.awaitTrue("both acknowledge a new version", SOON, () -> current(c, "w1", null) && current(c, "w2", null)
          && !first.equals(status(c, "w1").getString("version")), c.daemon("w1"), c.daemon("w2"));
      String second = status(c, "w1").getString("version");
      assertThat(status(c, "w2").getString("version")).isEqualTo(second);
      assertThat(status(c, "w2").getJsonObject("jobs_on_older").getString(Jobs.STIRRING)).isEqualTo(first);
      assertThat(targetRpm(c, "w2")).as("a running job keeps its values").isEqualTo("500.0");

      assertThat(c.http.send("POST", Cluster.runJobPath("w1", "e1", Jobs.STIRRING), "{}").status()).isEqualTo(200);
      Cluster.awaitTrue("w1 stirring started afterwards uses 300", SOON, () -> "300.0".equals(targetRpm(c, "w1")));

      // w1's own configuration wins on w1 only.
      Http.Response own = c.http.send("PATCH", "/api/config/units/w1/specific",
          new JsonObject().put("code", "[stirring.config]\ninitial_target_rpm=700\n").encode());
      assertThat(own.status()).as(own.body()).isEqualTo(200);
      Cluster.awaitTrue("w1 acknowledges its own version", SOON, () -> current(c, "w1", null)
          && !second.equals(status(c, "w1").getString("version")), c.daemon("w1"));
      assertThat(status(c, "w2").getString("version")).isEqualTo(second);
      JsonObject merged = (JsonObject) c.http.get("/api/config/units/w1").json();
      assertThat(merged.getJsonObject("configs").getJsonObject("w1").getJsonObject("stirring.config").getString("initial_target_rpm"))
          .isEqualTo("700");
      assertThat(((JsonObject) c.http.get("/api/config/units/w2").json()).getJsonObject("configs").getJsonObject("w2")
          .getJsonObject("stirring.config").getString("initial_target_rpm")).isEqualTo("300");
      c.http.send("POST", "/api/workers/w1/jobs/stop/job_name/stirring/experiments/e1", "{}");
      Cluster.awaitTrue("w1 stirring stopped", SOON, () -> targetRpm(c, "w1") == null);
      assertThat(c.http.send("POST", Cluster.runJobPath("w1", "e1", Jobs.STIRRING), "{}").status()).isEqualTo(200);
      Cluster.awaitTrue("w1 stirring at its own 700", SOON, () -> "700.0".equals(targetRpm(c, "w1")));
    }
  }

  @ParameterizedTest(name = "embedded broker: {0}")
  @ValueSource(booleans = {true, false})
  @DisplayName("a bad edit is refused with its line; nothing is stored or delivered")
  void badEditChangesNothing(boolean embedded) throws Exception {
    try (Cluster c = new Cluster(dir, embedded)) {
      c.startLeader(false);
      c.startWorker("w1");
      c.addAndAssign("e1", "w1");
      Cluster.awaitTrue("w1 current", SOON, () -> current(c, "w1", null), c.daemon("w1"));
      String version = status(c, "w1").getString("version");
      int history = ((JsonArray) c.http.get("/api/config/shared/history").json()).size();
      String text = shared(c);
      String bad = text.replace("initial_target_rpm=500", "initial_target_rpm=500\ninitial_target_rpm=fast");
      int line = List.of(bad.split("\n")).indexOf("initial_target_rpm=fast") + 1;
      Http.Response r = c.http.send("PATCH", "/api/config/shared", new JsonObject().put("code", bad).encode());
      assertThat(r.status()).isEqualTo(400);
      JsonObject body = new JsonObject(r.body());
      assertThat(body.getString("error")).startsWith("line " + line + ":").contains("initial_target_rpm");
      assertThat(body.getJsonArray("problems").getJsonObject(0).getInteger("line")).isEqualTo(line);
      Http.Response range = c.http.send("PATCH", "/api/config/shared",
          new JsonObject().put("code", withOption(text, "stirring.config", "initial_target_rpm", "99999")).encode());
      assertThat(range.status()).isEqualTo(400);
      assertThat(range.body()).contains("from 0 to 5000");
      Http.Response owned = c.http.send("PATCH", "/api/config/shared",
          new JsonObject().put("code", withOption(text, "mqtt", "broker_port", "1")).encode());
      assertThat(owned.status()).isEqualTo(400);
      assertThat(owned.body()).contains("the leader's own");
      assertThat(((JsonArray) c.http.get("/api/config/shared/history").json()).size()).isEqualTo(history);
      assertThat(shared(c)).isEqualTo(text);
      Thread.sleep(1_000);
      assertThat(status(c, "w1").getString("version")).isEqualTo(version);
      assertThat(status(c, "w1").getString("state")).isEqualTo("current");
    }
  }

  @ParameterizedTest(name = "embedded broker: {0}")
  @ValueSource(booleans = {true, false})
  @DisplayName("the leader restarted sends the same versions; a unit restarted with the leader away runs its last applied one")
  void versionsSurviveRestarts(boolean embedded) throws Exception {
    try (Cluster c = new Cluster(dir, embedded)) {
      c.startLeader(false);
      c.startWorker("w1");
      c.addAndAssign("e1", "w1");
      Cluster.awaitTrue("w1 current", SOON, () -> current(c, "w1", null), c.daemon("w1"));
      String first = status(c, "w1").getString("version");
      patchShared(c, withOption(shared(c), "stirring.config", "initial_target_rpm", "321"));
      Cluster.awaitTrue("w1 current with the edit", SOON, () -> current(c, "w1", null)
          && !first.equals(status(c, "w1").getString("version")), c.daemon("w1"));
      String version = status(c, "w1").getString("version");

      c.daemon("leader-daemon").close();
      c.daemon("w1").close();
      c.startWorker("w1");
      Cluster.awaitTrue("w1 says it runs the stored one", SOON,
          () -> sinceLastStart(c, "w1").contains("running with the stored cluster configuration " + version), c.daemon("w1"));
      c.restartLeader();
      // (what the broker kept from before may say current and ready already: wait for w1's own session)
      Cluster.awaitTrue("w1 back on the broker", SOON, () -> sinceLastStart(c, "w1").contains("w1 connected and ready"), c.daemon("w1"));
      Cluster.awaitTrue("after the leader's restart, the same version, current", SOON, () -> current(c, "w1", version), c.daemon("w1"));
      assertThat(sinceLastStart(c, "w1")).as("nothing new to apply").doesNotContain("applied cluster configuration");
      Cluster.awaitTrue("w1 ready", SOON, () -> "ready".equals(c.retained.get(Topics.monitorState("w1"))));
      Http.Response run = c.http.send("POST", Cluster.runJobPath("w1", "e1", Jobs.STIRRING), "{}");
      assertThat(run.status()).as(run.body()).isEqualTo(200);
      Cluster.awaitTrue("stirring uses it", SOON, () -> "321.0".equals(targetRpm(c, "w1")));
    }
  }

  @ParameterizedTest(name = "embedded broker: {0}")
  @ValueSource(booleans = {true, false})
  @DisplayName("a unit cannot read another unit's configuration, nor can browsers; nobody but the leader sends one")
  void configurationIsPrivate(boolean embedded) throws Exception {
    try (Cluster c = new Cluster(dir, embedded)) {
      c.startLeader(false);
      c.startWorker("w1");
      c.addAndAssign("e1", "w1");
      Cluster.awaitTrue("w1 current", SOON, () -> current(c, "w1", null), c.daemon("w1"));
      c.credentials.password("w2"); // (w2 is a unit with credentials, not in the inventory)
      if (!embedded) {
        c.mosquitto().reload();
      }
      List<String> heard = new CopyOnWriteArrayList<>();
      for (String user : List.of("w2", io.pioreactor.protocol.testing.TestCredentials.WEB_USER)) {
        MqttClient other = c.mqttClient(user, "w2".equals(user) ? io.pioreactor.protocol.ClientIds.worker("w2") : "peek");
        other.publishHandler(m -> heard.add(user + " " + m.topicName()));
        other.subscribe(Topics.unitConfig("w1"), 1).await();
        other.subscribe(Topics.unitConfigTree("+"), 1).await();
        Thread.sleep(1_000);
        // Nor may it send one: w1 keeps what the leader sent.
        other.publish(Topics.unitConfig("w1"), ConfigDelivery.of("[stirring.config]\ninitial_target_rpm=1\n", "t").toBuffer(),
            MqttQoS.AT_LEAST_ONCE, false, true).otherwiseEmpty().await();
        other.disconnect().otherwiseEmpty().await();
      }
      assertThat(heard).isEmpty();
      Thread.sleep(1_000);
      assertThat(status(c, "w1").getString("state")).isEqualTo("current");
      assertThat(c.daemon("w1").logTail()).doesNotContain("initial_target_rpm=1");
    }
  }
}
