package io.pioreactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A unit whose clock is 30 s ahead, made so with Debian's libfaketime (its skew read from a file), beside one whose
 * clock is right: the leader measures both, shows the skew in the API and {@code pio workers status}, and after Sync
 * clocks (the skewed unit's {@code clock_sync_command} is a script the test writes, standing in for
 * {@code chronyc makestep}: it sets the skew file to +0s) reports it corrected, through {@code pios sync-clocks} and
 * upstream's {@code POST /api/system/utc_clock} (which first sets the leader's clock with its configured command).
 */
class ClocksEndToEndTest {
  /** Upstream's shapes (schemas from its source: docs/upstream-pages-contract.md). */
  private static final io.pioreactor.protocol.testing.JsonSchemas SCHEMAS = new io.pioreactor.protocol.testing.JsonSchemas();

  private static final Duration SOON = Duration.ofSeconds(60);
  private static final double SKEW_MS = 30_000;

  @TempDir
  Path dir;

  private static JsonObject clock(Cluster c, String unit) {
    JsonObject w = c.workerRow(unit);
    return w == null ? null : w.getJsonObject("clock");
  }

  private static void awaitOffset(Cluster c, String unit, double ms) {
    Cluster.awaitTrue(unit + "'s clock measured at " + ms + " ms", SOON, () -> {
      JsonObject k = clock(c, unit);
      return k != null && Math.abs(k.getDouble("offset_ms") - ms) < 500;
    }, c.daemon("leader-daemon"), c.daemon(unit));
  }

  @Test
  @DisplayName("a unit 30 s off shows its offset, and after Sync clocks (CLI, then upstream's route) the leader reports it corrected")
  void skewedUnitIsShownAndCorrected() throws Exception {
    Assumptions.assumeTrue(FakeClock.available(), "Debian's faketime is not installed (apt-get install faketime)");
    FakeClock fake = new FakeClock(dir, "+30s");
    Path step = fake.stepScript(dir);

    try (Cluster c = new Cluster(dir, true)) {
      // The leader's own clock is "set" by a program that notes the time it is given (the real one: sudo date -u -s).
      Path setTo = dir.resolve("leader-clock-set-to");
      Path setLeader = dir.resolve("set-leader-clock");
      java.nio.file.Files.writeString(setLeader, "#!/bin/sh\necho \"$1\" > '" + setTo + "'\n");
      java.nio.file.Files.setPosixFilePermissions(setLeader, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      c.leaderConfig(new JsonObject().put("clocks", new JsonObject().put("interval_s", 1).put("max_offset_s", 1)
          .put("leader_set_command", new JsonArray().add(setLeader.toString()))));
      c.startLeader(false);
      c.startWorker("skewed", new JsonArray().add("true"), fake.prefix(),
          new JsonObject().put("clock_sync_command", new JsonArray().add(step.toString())));
      c.startWorker("steady", new JsonArray().add("true"), List.of(),
          new JsonObject().put("clock_sync_command", new JsonArray().add("true")));
      for (String w : List.of("skewed", "steady")) {
        assertThat(c.http.send("POST", "/api/workers/setup", new JsonObject().put("name", w).encode()).status()).isEqualTo(200);
      }

      // GIVEN the leader has measured both
      awaitOffset(c, "skewed", SKEW_MS);
      awaitOffset(c, "steady", 0);
      JsonObject skewed = clock(c, "skewed");
      assertThat(skewed.getDouble("offset_ms")).isCloseTo(SKEW_MS, within(skewed.getDouble("round_trip_ms") / 2 + 50));
      assertThat(skewed.getBoolean("within_threshold")).isFalse();
      assertThat(clock(c, "steady").getBoolean("within_threshold")).isTrue();
      Cli.Result status = c.cli.run("workers", "status");
      assertThat(status.exitCode()).as(status.all()).isZero();
      assertThat(status.out()).contains("CLOCK");
      assertThat(line(status.out(), "skewed")).contains("+30.0 s (off)");
      assertThat(line(status.out(), "steady")).containsPattern("[+-]0\\.\\d{3} s").doesNotContain("(off)");

      // WHEN Sync clocks runs from the CLI
      Cli.Result sync = c.cli.run("pios", "sync-clocks");

      // THEN each unit says before and after, and the skewed one is corrected
      assertThat(sync.exitCode()).as(sync.all()).isZero();
      assertThat(line(sync.out(), "skewed")).contains("+30.0 s").contains("ok");
      assertThat(line(sync.out(), "steady")).contains("ok");
      JsonObject after = clock(c, "skewed");
      assertThat(Math.abs(after.getDouble("offset_ms"))).isLessThan(500);
      assertThat(after.getBoolean("within_threshold")).isTrue();

      // AND through upstream's route, after the clock drifted off again: a task whose result says it is corrected
      fake.set("+30s");
      awaitOffset(c, "skewed", SKEW_MS);
      Http.Response refused = c.http.send("POST", "/api/system/utc_clock", new JsonObject().put("utc_clock_time", "$(date)").encode());
      assertThat(refused.status()).as(refused.body()).isEqualTo(400);
      assertThat(setTo).doesNotExist();
      Instant browserTime = Instant.parse("2026-12-02T10:11:12.345Z");
      Http.Response accepted = c.http.send("POST", "/api/system/utc_clock",
          new JsonObject().put("utc_clock_time", "2026-12-02T11:11:12.345+01:00").encode());
      assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
      assertThat(SCHEMAS.check("task", accepted.json())).as("upstream's task answer").isEmpty();
      assertThat(java.nio.file.Files.readString(setTo).strip()).isEqualTo(browserTime.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
      String path = ((JsonObject) accepted.json()).getString("result_url_path");
      Cluster.awaitTrue("the sync task done", SOON, () -> c.http.get(path).status() == 200, c.daemon("leader-daemon"));
      JsonObject task = (JsonObject) c.http.get(path).json();
      assertThat(SCHEMAS.check("task_result", task)).as("upstream's task result").isEmpty();
      assertThat(task.getString("status")).isEqualTo("succeeded");
      JsonObject mine = task.getJsonObject("result").getJsonObject("skewed");
      assertThat(mine.getBoolean("ok")).as(task.encode()).isTrue();
      assertThat(mine.getJsonObject("value").getJsonObject("before").getDouble("offset_ms")).isCloseTo(SKEW_MS, within(500.0));
      assertThat(mine.getJsonObject("value").getJsonObject("after").getBoolean("within_threshold")).isTrue();
      assertThat(Math.abs(clock(c, "skewed").getDouble("offset_ms"))).isLessThan(500);
    }
  }

  @Test
  @DisplayName("an inactive unit is measured too; upstream's GET /api/units/$broadcast/system/utc_clock answers each unit's own time (and /unit_api/system/utc_clock the leader's); pios sync-clocks fails, with the unit's reason, when a step command fails")
  void unitTimesAndAFailedStep() throws Exception {
    Assumptions.assumeTrue(FakeClock.available(), "Debian's faketime is not installed (apt-get install faketime)");
    FakeClock fake = new FakeClock(dir, "+30s");
    try (Cluster c = new Cluster(dir, true)) {
      c.leaderConfig(new JsonObject().put("clocks", new JsonObject().put("interval_s", 1)));
      c.startLeader(false);
      c.startWorker("skewed", new JsonArray().add("true"), fake.prefix(), new JsonObject().put("clock_sync_command", new JsonArray().add("false")));
      assertThat(c.http.send("POST", "/api/workers/setup", new JsonObject().put("name", "skewed").encode()).status()).isEqualTo(200);
      // Inactive units are measured too (their clocks stamp their data the day they are active again).
      assertThat(c.http.send("PUT", "/api/workers/skewed/is_active", new JsonObject().put("is_active", 0).encode()).status()).isEqualTo(200);
      awaitOffset(c, "skewed", SKEW_MS);
      assertThat(c.workerRow("skewed").getInteger("is_active")).isZero();

      Http.Response accepted = c.http.get("/api/units/$broadcast/system/utc_clock");
      assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
      String path = ((JsonObject) accepted.json()).getString("result_url_path");
      Cluster.awaitTrue("the clock task done", SOON, () -> c.http.get(path).status() == 200, c.daemon("leader-daemon"));
      assertThat(SCHEMAS.check("task", accepted.json())).as("upstream's task answer").isEmpty();
      assertThat(SCHEMAS.check("task_result", c.http.get(path).json())).as("upstream's task result").isEmpty();
      JsonObject value = ((JsonObject) c.http.get(path).json()).getJsonObject("result").getJsonObject("skewed").getJsonObject("value");
      assertThat(SCHEMAS.check("utc_clock", value)).as("each unit's value: unit_api.py get_clock_time's answer").isEmpty();
      assertThat(value.getString("status")).isEqualTo("success");
      assertThat(value.getString("clock_time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
      double unitAhead = Instant.parse(value.getString("clock_time")).toEpochMilli() - System.currentTimeMillis();
      assertThat(unitAhead).isCloseTo(SKEW_MS, within(2_000.0));

      JsonObject leaderNow = (JsonObject) c.http.get("/unit_api/system/utc_clock").json();
      assertThat(SCHEMAS.check("utc_clock", leaderNow)).isEmpty();
      assertThat((double) Instant.parse(leaderNow.getString("clock_time")).toEpochMilli() - System.currentTimeMillis())
          .as("the leader's own clock, as its unit API says it").isCloseTo(0, within(2_000.0));

      Cli.Result sync = c.cli.run("pios", "sync-clocks", "--units", "skewed");
      assertThat(sync.exitCode()).as(sync.all()).isEqualTo(1);
      assertThat(line(sync.out(), "skewed")).contains("not synced").contains("exited with 1");
      assertThat(sync.err()).contains("skewed").contains("not within 1");
      assertThat(c.cli.run("pios", "sync-clocks", "--units", "no/such").exitCode()).isEqualTo(2);
    }
  }

  private static String line(String out, String unit) {
    return out.lines().filter(l -> l.startsWith(unit + " ")).findFirst().orElse("(no line for " + unit + " in:\n" + out + ")");
  }
}
