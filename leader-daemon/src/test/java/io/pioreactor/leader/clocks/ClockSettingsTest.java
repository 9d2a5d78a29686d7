package io.pioreactor.leader.clocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The leader's {@code clocks} block: defaults, and out-of-range values refused at start with the option named. */
class ClockSettingsTest {

  @Test
  @DisplayName("no clocks block: every 60 s, 4 samples, a 1 s threshold, no command for the leader's own clock")
  void defaults() {
    ClockSettings s = ClockSettings.fromJson(null);
    assertThat(s.interval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.samples()).isEqualTo(4);
    assertThat(s.maxOffsetMs()).isEqualTo(1_000);
    assertThat(s.leaderSetCommand()).isEmpty();
    assertThat(ClockSettings.fromJson(new JsonObject())).isEqualTo(s);
  }

  @Test
  @DisplayName("values are read, fractions of seconds too")
  void read() {
    ClockSettings s = ClockSettings.fromJson(new JsonObject().put("interval_s", 2.5).put("samples", 8).put("max_offset_s", 0.25)
        .put("leader_set_command", new JsonArray().add("sudo").add("-n").add("/usr/bin/date").add("-u").add("-s")));
    assertThat(s.interval()).isEqualTo(Duration.ofMillis(2_500));
    assertThat(s.samples()).isEqualTo(8);
    assertThat(s.maxOffsetMs()).isEqualTo(250);
    assertThat(s.leaderSetCommand()).isEqualTo(List.of("sudo", "-n", "/usr/bin/date", "-u", "-s"));
  }

  @Test
  @DisplayName("out-of-range or mistyped values are refused, naming the option")
  void refused() {
    for (JsonObject bad : List.of(new JsonObject().put("interval_s", 0), new JsonObject().put("interval_s", "60"),
        new JsonObject().put("samples", 0), new JsonObject().put("samples", 2.5), new JsonObject().put("max_offset_s", -1),
        new JsonObject().put("leader_set_command", "date -s"), new JsonObject().put("leader_set_command", new JsonArray().add(3)))) {
      assertThatThrownBy(() -> ClockSettings.fromJson(bad)).as(bad.encode())
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("clocks.");
    }
  }
}
