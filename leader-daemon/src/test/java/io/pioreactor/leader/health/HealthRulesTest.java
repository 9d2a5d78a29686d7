package io.pioreactor.leader.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pioreactor.protocol.UnitHealth;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** When a unit's health is a warning, in which words. */
class HealthRulesTest {
  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
  private final HealthRules rules = new HealthRules(HealthThresholds.defaults());

  static UnitHealth health(long freeBytes, Double cpuC, boolean hat) {
    return new UnitHealth("worker1", NOW.toString(), 60, new UnitHealth.Disk("/var/lib/pioreactor", freeBytes, 1_000),
        null, null, null, cpuC, 10.0, null, hat, null, null);
  }

  private List<HealthWarning> judge(UnitHealth h) {
    return rules.warnings(new HealthRules.Inputs(h, NOW, true, Optional.empty(), Optional.empty()), NOW);
  }

  @Test
  @DisplayName("a healthy unit has no warnings")
  void healthy() {
    assertThat(judge(health(500, 45.0, true))).isEmpty();
  }

  @Test
  @DisplayName("a disk below 10 % free is a warning that says how much, where, and the threshold")
  void diskLow() {
    assertThat(judge(health(40, null, true))).singleElement().satisfies(w -> {
      assertThat(w.check()).isEqualTo("disk");
      assertThat(w.message()).isEqualTo("disk 4 % free on /var/lib/pioreactor (below 10 %)");
      assertThat(w.shortText()).isEqualTo("disk 4 % free");
    });
    assertThat(judge(health(100, null, true))).as("exactly 10 % is not below 10 %").isEmpty();
  }

  @Test
  @DisplayName("a CPU above 80 °C is a warning; no thermal zone (null) is none")
  void cpuHot() {
    assertThat(judge(health(500, 80.5, true))).extracting(HealthWarning::message).containsExactly("CPU at 80.5 °C (above 80 °C)");
    assertThat(judge(health(500, null, true))).isEmpty();
  }

  @Test
  @DisplayName("no HAT is a warning when a HAT is required, and none when it is not")
  void hatMissing() {
    assertThat(judge(health(500, null, false))).extracting(HealthWarning::check).containsExactly("hat");
    HealthRules lax = new HealthRules(HealthThresholds.fromJson(new JsonObject().put("hat_required", false)));
    assertThat(lax.warnings(new HealthRules.Inputs(health(500, null, false), NOW, true, Optional.empty(), Optional.empty()), NOW)).isEmpty();
  }

  @Test
  @DisplayName("a clock more than 1 s off the leader's is a warning, either way; an unknown offset is none")
  void clockOffset() {
    UnitHealth h = health(500, null, true);
    assertThat(rules.warnings(new HealthRules.Inputs(h, NOW, true, Optional.of(-1.5), Optional.empty()), NOW))
        .extracting(HealthWarning::message).containsExactly("clock 1.5 s behind the leader's (more than 1 s)");
    assertThat(rules.warnings(new HealthRules.Inputs(h, NOW, true, Optional.of(0.9), Optional.empty()), NOW)).isEmpty();
    assertThat(rules.warnings(new HealthRules.Inputs(null, null, true, Optional.of(2.0), Optional.empty()), NOW))
        .as("measured by the leader: a warning even before the unit's health arrives").extracting(HealthWarning::check)
        .containsExactly("clock_offset");
  }

  @Test
  @DisplayName("no backup for more than 30 days is a warning; an unknown backup time is none")
  void backupAge() {
    UnitHealth h = health(500, null, true);
    assertThat(rules.warnings(new HealthRules.Inputs(h, NOW, true, Optional.empty(), Optional.of(NOW.minus(Duration.ofDays(31)))), NOW))
        .extracting(HealthWarning::message).containsExactly("no database backup for 31 days (more than 30)");
    assertThat(rules.warnings(new HealthRules.Inputs(h, NOW, true, Optional.empty(), Optional.of(NOW.minus(Duration.ofDays(29)))), NOW)).isEmpty();
  }

  @Test
  @DisplayName("a health older than three of the unit's intervals is stale while the unit is connected, and not when it is away")
  void stale() {
    UnitHealth h = health(500, null, true);
    Instant old = NOW.minusSeconds(181);
    assertThat(rules.warnings(new HealthRules.Inputs(h, old, true, Optional.empty(), Optional.empty()), NOW))
        .extracting(HealthWarning::check).containsExactly("health_stale");
    assertThat(rules.warnings(new HealthRules.Inputs(h, NOW.minusSeconds(179), true, Optional.empty(), Optional.empty()), NOW)).isEmpty();
    assertThat(rules.warnings(new HealthRules.Inputs(h, old, false, Optional.empty(), Optional.empty()), NOW))
        .as("a unit away is shown as lost, not as stale").isEmpty();
  }

  @Test
  @DisplayName("thresholds come from the health block, and a wrong one is refused with its name")
  void thresholds() {
    HealthThresholds t = HealthThresholds.fromJson(new JsonObject().put("disk_free_min_percent", 20).put("cpu_temp_max_c", 70.5));
    assertThat(t.diskFreeMinPercent()).isEqualTo(20);
    assertThat(t.cpuTempMaxC()).isEqualTo(70.5);
    assertThat(t.backupMaxAgeDays()).isEqualTo(30);
    assertThatThrownBy(() -> HealthThresholds.fromJson(new JsonObject().put("disk_free_min_percent", 120)))
        .hasMessageContaining("health.disk_free_min_percent");
    assertThatThrownBy(() -> HealthThresholds.fromJson(new JsonObject().put("disk_free_min", 5))).hasMessageContaining("health.disk_free_min");
    assertThatThrownBy(() -> HealthThresholds.fromJson(new JsonObject().put("hat_required", "yes"))).hasMessageContaining("hat_required");
  }
}
