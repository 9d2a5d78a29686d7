package io.pioreactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.SelfTestResult;
import io.pioreactor.protocol.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The self test as users run it, with the daemons as processes on the embedded broker: through the leader's API under
 * {@code $experiment} (as upstream's Self test dialog starts it) and with {@code pio run self_test}; a healthy mock
 * passes every check, a mock configured broken names the failing one; the leader keeps the results, the worker writes
 * its file.
 */
class SelfTestEndToEndTest {
  private static final Duration RUN = Duration.ofSeconds(60);
  private static final String UNIT_LEVEL = URLEncoder.encode(Topics.UNIT_LEVEL, StandardCharsets.UTF_8);

  @TempDir
  Path dir;

  private static String setting(Cluster c, String unit, String name) {
    return c.retained.get(Topics.job(unit, Topics.UNIT_LEVEL, Jobs.SELF_TEST, name));
  }

  /** The leader's view of the unit's last self test, once one has finished. */
  private static JsonObject finished(Cluster c, String unit) {
    Cluster.awaitTrue(unit + "'s self test results at the leader", RUN, () -> {
      JsonObject st = ((JsonObject) c.http.get("/api/workers/" + unit).json()).getJsonObject("self_test");
      return st != null && st.getJsonObject("results") != null && "disconnected".equals(st.getString("state"));
    }, c.daemon(unit));
    return ((JsonObject) c.http.get("/api/workers/" + unit).json()).getJsonObject("self_test");
  }

  private void startBroken(Cluster c, String unit, String... parts) throws Exception {
    c.startWorker(unit, new JsonArray().add("true"), new JsonObject().put("mock", new JsonObject().put("broken", new JsonArray(List.of((Object[]) parts)))));
  }

  @Test
  @DisplayName("under $experiment through the API a healthy worker passes every check and a broken one names its failing check; results kept, files written")
  void throughTheApiUnderExperiment() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(false);
      c.startWorker("w1");
      startBroken(c, "w2", "stirring");
      c.addAndAssign("e1", "w1", "w2");
      // w2 leaves its experiment: the unit's own job runs whatever experiment it is in, or none
      assertThat(c.http.send("DELETE", "/api/experiments/e1/workers/w2", null).status()).isEqualTo(200);

      for (String w : new String[] {"w1", "w2"}) {
        // exactly what upstream's Self test dialog sends (runPioreactorJob)
        Http.Response r = c.http.send("PATCH", Cluster.runJobPath(w, UNIT_LEVEL, Jobs.SELF_TEST), new JsonObject()
            .put("args", new JsonArray()).put("options", new JsonObject())
            .put("env", new JsonObject().put("EXPERIMENT", Topics.UNIT_LEVEL).put("JOB_SOURCE", "user"))
            .put("config_overrides", new JsonArray()).encode());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(((JsonObject) r.json()).getString("experiment")).isEqualTo(Topics.UNIT_LEVEL);
      }

      JsonObject healthy = finished(c, "w1");
      JsonObject ok = healthy.getJsonObject("results");
      assertThat(ok.getJsonArray("failed")).isEmpty();
      assertThat(ok.getJsonArray("passed")).hasSize(6).contains("test_pioreactor_HAT_present",
          "test_all_positive_correlations_between_pds_and_leds", "test_positive_correlation_between_rpm_and_stirring");
      assertThat(healthy.getBoolean("all_tests_passed")).isTrue();
      // upstream's dialog reads these retained settings, after the job has ended
      assertThat(setting(c, "w1", "test_positive_correlation_between_rpm_and_stirring")).isEqualTo("1");
      assertThat(setting(c, "w1", SelfTestResult.ALL_PASSED)).isEqualTo("1");
      assertThat(c.retained.get(Topics.jobState("w1", Topics.UNIT_LEVEL, Jobs.SELF_TEST))).isEqualTo("disconnected");
      // stored by the leader as any job's settings (history and last values)
      Cluster.awaitTrue("w1's results in the leader's job history", RUN, () -> c.http.get("/api/units/w1/jobs/history?limit=200").body()
          .contains("\"job_name\":\"self_test\",\"attribute\":\"results\""));

      JsonObject broken = finished(c, "w2").getJsonObject("results");
      assertThat(broken.getJsonArray("failed")).containsExactly("test_positive_correlation_between_rpm_and_stirring");
      assertThat(broken.getJsonArray("passed")).hasSize(5);
      assertThat(broken.getJsonObject("reasons").getString("test_positive_correlation_between_rpm_and_stirring"))
          .contains("no turn of the fan");
      assertThat(setting(c, "w2", "test_positive_correlation_between_rpm_and_stirring")).isEqualTo("0");
      assertThat(setting(c, "w2", "test_pioreactor_HAT_present")).isEqualTo("1");

      for (String w : new String[] {"w1", "w2"}) {
        JsonObject file = new JsonObject(Files.readString(dir.resolve("state").resolve("self-test-" + w + ".json")));
        assertThat(file.fieldNames()).containsExactlyInAnyOrder("at", "passed", "failed");
      }
      JsonObject file = new JsonObject(Files.readString(dir.resolve("state").resolve("self-test-w2.json")));
      assertThat(file.getJsonArray("failed")).containsExactly("test_positive_correlation_between_rpm_and_stirring");
      assertThat(file.getString("at")).isEqualTo(broken.getString("at"));

      // upstream's "Retry failed tests": only the failed check runs again; what passed stays passed
      Http.Response retry = c.http.send("POST", Cluster.runJobPath("w2", UNIT_LEVEL, Jobs.SELF_TEST), "{\"options\": {\"retry-failed\": null}}");
      assertThat(retry.status()).as(retry.body()).isEqualTo(200);
      Cluster.awaitTrue("w2's retry finished", RUN, () -> {
        JsonObject st = ((JsonObject) c.http.get("/api/workers/w2").json()).getJsonObject("self_test");
        return "disconnected".equals(st.getString("state")) && st.getJsonObject("results") != null
            && !broken.getString("at").equals(st.getJsonObject("results").getString("at"));
      }, c.daemon("w2"));
      JsonObject retried = finished(c, "w2").getJsonObject("results");
      assertThat(retried.getJsonArray("failed")).containsExactly("test_positive_correlation_between_rpm_and_stirring");
      assertThat(retried.getJsonArray("passed")).hasSize(5);
      assertThat(c.http.send("POST", Cluster.runJobPath("w2", UNIT_LEVEL, Jobs.SELF_TEST), "{\"options\": {\"target_rpm\": 3}}").status())
          .as("an option the self test does not take").isEqualTo(400);
    }
  }

  @Test
  @DisplayName("pio run self_test prints each check and exits 1 naming the broken ones; an inactive unit refuses it")
  void fromTheCli() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(false);
      startBroken(c, "w1", "pd1", "pwm_media");
      c.addAndAssign("e1", "w1");

      Cli.Result r = c.cli.run("run", Jobs.SELF_TEST, "--unit", "w1");
      assertThat(r.exitCode()).as(r.all()).isEqualTo(1);
      assertThat(r.out()).containsPattern("test_all_positive_correlations_between_pds_and_leds\\s+FAILED\\s+pd1 does not respond")
          .containsPattern("test_pwm_outputs_accept_duty_cycles\\s+FAILED\\s+PWM media \\(BCM 13\\) reads back 0.0 %")
          .containsPattern("test_pioreactor_HAT_present\\s+passed");
      assertThat(r.err()).contains("2 of 6 self tests failed");

      assertThat(c.http.send("PUT", "/api/workers/w1/is_active", "{\"is_active\": 0}").status()).isEqualTo(200);
      Http.Response refused = c.http.send("POST", Cluster.runJobPath("w1", UNIT_LEVEL, Jobs.SELF_TEST), "{}");
      assertThat(refused.status()).isEqualTo(409);
      assertThat(refused.body()).contains("inactive");
    }
  }
}
