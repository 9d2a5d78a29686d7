package io.pioreactor.leader.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Topic;
import io.pioreactor.protocol.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class LiveUnitsTest {

  private static boolean monitor(LiveUnits live, String unit, String attribute, String payload) {
    return live.apply(Topic.parse(Topics.monitor(unit, attribute)).orElseThrow(), Buffer.buffer(payload));
  }

  private static boolean job(LiveUnits live, String unit, String experiment, String job, String attribute, String payload) {
    return live.applyJobAttribute(Topic.parse(Topics.job(unit, experiment, job, attribute)).orElseThrow(), Buffer.buffer(payload));
  }

  /**
   * Runs {@code body} on an event loop, as the leader does: LiveUnits is owned by one event-loop context, and its
   * coalescing timer fires there too, so a test driving it from the JUnit thread would race that timer.
   */
  private static void onLoop(Vertx vertx, Runnable body) throws Exception {
    java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
    vertx.runOnContext(v -> {
      try {
        body.run();
        done.complete(null);
      } catch (Throwable t) {
        done.completeExceptionally(t);
      }
    });
    try {
      done.get(60, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  @Test
  @DisplayName("a flood of units that are not in the inventory keeps at most MAX_STRANGERS of them; inventory units always stay")
  void strangersAreBounded(Vertx vertx) throws Exception {
    onLoop(vertx, () -> {
      LiveUnits live = new LiveUnits(vertx);
      live.inventory(Set.of("w1"));
      monitor(live, "w1", Topics.STATE, "ready");
      for (int i = 0; i < 30_000; i++) {
        monitor(live, "fz" + i, Topics.STATE, "ready");
      }
      assertThat(live.all()).hasSize(LiveUnits.MAX_STRANGERS + 1).containsKey("w1");
      assertThat(live.all()).containsKey("fz29999").doesNotContainKey("fz0");
    });
  }

  @Test
  @DisplayName("a unit forgotten under a flood of strangers and then added is reported unheard, so its retained state is read again")
  void forgottenStrangerAddedIsUnheard(Vertx vertx) throws Exception {
    onLoop(vertx, () -> {
      LiveUnits live = new LiveUnits(vertx);
      List<String> unheard = new CopyOnWriteArrayList<>();
      live.onUnheardMember(unheard::add);
      live.inventory(Set.of());
      monitor(live, "newcomer", Topics.STATE, "ready");
      for (int i = 0; i < LiveUnits.MAX_STRANGERS; i++) {
        monitor(live, "fz" + i, Topics.STATE, "ready");
      }
      monitor(live, "heard", Topics.STATE, "ready");
      live.inventory(Set.of("newcomer", "heard"));
      assertThat(unheard).containsExactly("newcomer");
      live.inventory(Set.of("newcomer", "heard"));
      assertThat(unheard).as("only a unit that has just joined").containsExactly("newcomer");
    });
  }

  @Test
  @DisplayName("a unit that is not in the inventory is forgotten when it says it is lost (it leaves discovery)")
  void lostStrangersGo(Vertx vertx) throws Exception {
    onLoop(vertx, () -> {
      LiveUnits live = new LiveUnits(vertx);
      monitor(live, "newcomer", Topics.STATE, "ready");
      assertThat(live.get("newcomer")).isPresent();
      monitor(live, "newcomer", Topics.STATE, "lost");
      assertThat(live.get("newcomer")).isEmpty();
      live.inventory(Set.of("w1"));
      monitor(live, "w1", Topics.STATE, "lost");
      assertThat(live.get("w1").map(UnitLiveState::state)).as("an inventory unit stays, lost").contains("lost");
    });
  }

  @Test
  @DisplayName("facts are checked by kind: an IPv4 is an IPv4, a MAC a MAC, versions a small flat object")
  void factsByKind(Vertx vertx) throws Exception {
    onLoop(vertx, () -> {
      LiveUnits live = new LiveUnits(vertx);
      assertThat(monitor(live, "w1", Topics.IPV4, "192.168.1.20")).isTrue();
      assertThat(monitor(live, "w1", Topics.IPV4, "<img src=x onerror=alert(1)>")).isFalse();
      assertThat(monitor(live, "w1", Topics.ETH_MAC, "02:fc:00:00:00:01")).isTrue();
      assertThat(monitor(live, "w1", Topics.ETH_MAC, "\u001b[2J")).isFalse();
      assertThat(monitor(live, "w1", Topics.VERSIONS, "{\"app\":\"0.1.0\",\"protocol\":1}")).isTrue();
      assertThat(monitor(live, "w1", Topics.VERSIONS, "{\"app\":{\"nested\":1}}")).isFalse();
      assertThat(monitor(live, "w1", Topics.VERSIONS, "{\"app\":\"" + "x".repeat(2_000) + "\"}")).isFalse();
      assertThat(monitor(live, "w1", Topics.STATE, "readyish")).isFalse();
      assertThat(live.get("w1").orElseThrow().ipv4()).isEqualTo("192.168.1.20");
    });
  }

  @Test
  @DisplayName("a unit's jobs are capped: a flood of job names keeps MAX_JOBS_PER_UNIT")
  void jobsAreBounded(Vertx vertx) throws Exception {
    onLoop(vertx, () -> {
      LiveUnits live = new LiveUnits(vertx);
      live.inventory(Set.of("w1"));
      for (int i = 0; i < 5_000; i++) {
        job(live, "w1", "exp" + i, "job" + i, Topics.STATE, "ready");
      }
      assertThat(live.get("w1").orElseThrow().activities()).hasSize(LiveUnits.MAX_JOBS_PER_UNIT);
    });
  }

  @Test
  @DisplayName("a job that goes lost is reported with the settings it had retained")
  void lostJobs(Vertx vertx) throws Exception {
    onLoop(vertx, () -> {
      LiveUnits live = new LiveUnits(vertx);
      live.inventory(Set.of("w1"));
      List<String> lost = new CopyOnWriteArrayList<>();
      live.onJobLost((unit, experiment, job, settings) -> lost.add(unit + "/" + experiment + "/" + job + " " + settings));
      job(live, "w1", "e1", Jobs.STIRRING, Topics.STATE, "ready");
      job(live, "w1", "e1", Jobs.STIRRING, "target_rpm", "400");
      job(live, "w1", "e1", Jobs.STIRRING, "duty_cycle", "25");
      job(live, "w1", "e1", Jobs.STIRRING, "duty_cycle", "");
      job(live, "w1", "e1", Jobs.STIRRING, Topics.STATE, "lost");
      assertThat(lost).containsExactly("w1/e1/stirring [target_rpm]");
    });
  }

  @Test
  @DisplayName("a running job's settings are shown with their values, readings by name only, and a cleared setting goes")
  void settingValues(Vertx vertx) throws Exception {
    onLoop(vertx, () -> {
      LiveUnits live = new LiveUnits(vertx);
      live.inventory(Set.of("w1"));
      job(live, "w1", "e1", Jobs.STIRRING, Topics.STATE, "ready");
      job(live, "w1", "e1", Jobs.STIRRING, "target_rpm", "400");
      job(live, "w1", "e1", Jobs.STIRRING, "mode", "fast");
      live.applyJobAttribute(Topic.parse(Topics.job("w1", "e1", Jobs.STIRRING, io.pioreactor.protocol.Topics.MEASURED_RPM))
          .orElseThrow(), Buffer.buffer("{\"measured_rpm\": 398, \"timestamp\": \"2026-12-02T00:00:00Z\"}"), true);
      var settings = live.get("w1").orElseThrow().activities().getJsonObject(0).getJsonObject("settings");
      assertThat(settings.getValue("target_rpm")).isEqualTo(400);
      assertThat(settings.getValue("mode")).isEqualTo("fast");
      assertThat(settings.containsKey(io.pioreactor.protocol.Topics.MEASURED_RPM)).as("a reading").isFalse();
      job(live, "w1", "e1", Jobs.STIRRING, "mode", "");
      assertThat(live.get("w1").orElseThrow().activities().getJsonObject(0).getJsonObject("settings").fieldNames())
          .containsExactly("target_rpm");
    });
  }

  @Test
  @DisplayName("listeners hear the units that changed, coalesced: one call for a burst")
  void coalesced(Vertx vertx) throws Exception {
    LiveUnits live = new LiveUnits(vertx);
    live.inventory(Set.of("w1", "w2"));
    List<Set<String>> calls = new CopyOnWriteArrayList<>();
    live.onChange(calls::add);
    vertx.runOnContext(v -> {
      for (int i = 0; i < 1_000; i++) {
        monitor(live, i % 2 == 0 ? "w1" : "w2", Topics.IPV4, "10.0.0." + (i % 200));
      }
    });
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (calls.isEmpty() && System.nanoTime() < deadline) {
      vertx.timer(20).await();
    }
    vertx.timer(3 * LiveUnits.COALESCE_MS).await();
    assertThat(calls).containsExactly(Set.of("w1", "w2"));
  }
  private static boolean selfTest(LiveUnits live, String unit, String attribute, String payload) {
    return live.applySelfTest(Topic.parse(Topics.job(unit, Topics.UNIT_LEVEL, Jobs.SELF_TEST, attribute)).orElseThrow(),
        Buffer.buffer(payload));
  }

  private static io.vertx.core.json.JsonObject row(LiveUnits live, String unit) {
    io.vertx.core.json.JsonObject row = new io.vertx.core.json.JsonObject();
    live.get(unit).orElseThrow().writeTo(row);
    return row;
  }

  @Test
  @DisplayName("a unit's self test results stay in its row after the self test ends, unlike a job's settings")
  void selfTestResultsOutliveTheJob(Vertx vertx) throws Exception {
    onLoop(vertx, () -> {
      LiveUnits live = new LiveUnits(vertx);
      live.inventory(Set.of("w1"));
      selfTest(live, "w1", Topics.STATE, "ready");
      selfTest(live, "w1", "test_pioreactor_HAT_present", "1");
      selfTest(live, "w1", "test_detect_heating_pcb", "0");
      selfTest(live, "w1", "results", new io.pioreactor.protocol.SelfTestResult("2026-12-02T10:00:00Z",
          List.of("test_pioreactor_HAT_present"), List.of("test_detect_heating_pcb"),
          java.util.Map.of("test_detect_heating_pcb", "the thermometer does not answer")).toJson().encode());
      selfTest(live, "w1", Topics.STATE, "disconnected");
      var st = row(live, "w1").getJsonObject("self_test");
      assertThat(st.getString("state")).isEqualTo("disconnected");
      assertThat(st.getJsonObject("tests").getMap()).containsEntry("test_pioreactor_HAT_present", true)
          .containsEntry("test_detect_heating_pcb", false);
      assertThat(st.getJsonObject("results").getJsonArray("failed")).containsExactly("test_detect_heating_pcb");
      assertThat(st.getJsonObject("results").getJsonObject("reasons").getString("test_detect_heating_pcb")).contains("thermometer");
    });
  }

  @Test
  @DisplayName("self test values that are not a pass, a fail or results are refused and change nothing")
  void badSelfTestValuesAreRefused(Vertx vertx) throws Exception {
    onLoop(vertx, () -> {
      LiveUnits live = new LiveUnits(vertx);
      live.inventory(Set.of("w1"));
      assertThat(selfTest(live, "w1", "test_pioreactor_HAT_present", "1")).isTrue();
      assertThat(selfTest(live, "w1", "test_pioreactor_HAT_present", "maybe")).isFalse();
      assertThat(selfTest(live, "w1", "results", "{\"at\": \"yesterday\"}")).isFalse();
      assertThat(selfTest(live, "w1", Topics.STATE, "exploded")).isFalse();
      var st = row(live, "w1").getJsonObject("self_test");
      assertThat(st.getJsonObject("tests").getMap()).containsEntry("test_pioreactor_HAT_present", true);
      assertThat(st.getValue("results")).isNull();
      assertThat(st.getValue("state")).isNull();
    });
  }
}
