package io.pioreactor.leader.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.UnitHealth;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The leader's health service: whose health it keeps, what it shows, and what it says once. */
class HealthServiceTest {
  private Vertx vertx;
  private HealthService service;
  private final List<String> published = new ArrayList<>();
  private final Set<String> inventory = Set.of("worker1", "worker2");

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    service = new HealthService(vertx, HealthThresholds.defaults(), "leader", inventory::contains, u -> true,
        new HealthLog("leader", (topic, payload) -> {
          published.add(topic + " " + payload);
          return Future.succeededFuture();
        }));
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  private static Buffer health(String unit, long freeBytes) {
    return new UnitHealth(unit, "2026-12-02T12:00:00Z", 60, new UnitHealth.Disk("/var/lib/pioreactor", freeBytes, 1_000),
        null, null, null, null, 1.0, 0.8, true, null, null).toBuffer();
  }

  @Test
  @DisplayName("GIVEN a unit in the inventory WHEN its health arrives THEN its view holds the figures and no warnings")
  void keepsTheLatest() {
    service.onMessage("worker1", health("worker1", 500));
    JsonObject v = service.view("worker1");
    assertThat(v.getJsonObject("disk").getLong("free_bytes")).isEqualTo(500);
    assertThat(v.getDouble("broker_round_trip_ms")).isEqualTo(0.8);
    assertThat(v.getJsonArray("warnings")).isEmpty();
    assertThat(v.getString("received_at")).isNotNull();
  }

  @Test
  @DisplayName("a leader-only leader (no health of its own, not in the inventory) still warns once of a backup long missing")
  void leaderWithoutHealthWarnsOfItsBackup() {
    service.newestBackup(() -> java.util.Optional.of(java.time.Instant.now().minus(java.time.Duration.ofDays(40))));
    service.judgeAll();
    service.judgeAll(); // judged twice: said once
    assertThat(service.warnings("leader")).extracting(HealthWarning::check).containsExactly("backup");
    assertThat(published).hasSize(1);
    assertThat(published.get(0)).contains("no database backup for 40 days");
  }

  @Test
  @DisplayName("a health on one unit's topic that names another unit is ignored")
  void impostorIgnored() {
    service.onMessage("worker2", health("worker1", 10));
    assertThat(service.view("worker1")).isNull();
    assertThat(service.view("worker2")).isNull();
  }

  @Test
  @DisplayName("a health from a unit not in the inventory is ignored and nothing of it is kept")
  void unknownUnitIgnored() {
    for (int i = 0; i < 1_000; i++) {
      service.onMessage("stranger" + i, health("stranger" + i, 10));
    }
    assertThat(service.view("stranger1")).isNull();
    assertThat(published).isEmpty();
  }

  @Test
  @DisplayName("an oversize or malformed health is ignored and the one before stays")
  void oversizeIgnored() {
    service.onMessage("worker1", health("worker1", 500));
    JsonObject big = new JsonObject(health("worker1", 10).toString()).put("pad", "x".repeat(UnitHealth.MAX_BYTES));
    service.onMessage("worker1", big.toBuffer());
    service.onMessage("worker1", Buffer.buffer("{not json"));
    assertThat(service.view("worker1").getJsonObject("disk").getLong("free_bytes")).isEqualTo(500);
    assertThat(service.warnings("worker1")).isEmpty();
  }

  @Test
  @DisplayName("a warning that appears and clears is said once each, as the leader's WARNING line, however often it is repeated")
  void saidOncePerChange() {
    service.onMessage("worker1", health("worker1", 40));
    service.onMessage("worker1", health("worker1", 30));
    service.onMessage("worker1", health("worker1", 20));
    assertThat(service.warnings("worker1")).extracting(HealthWarning::message)
        .containsExactly("disk 2 % free on /var/lib/pioreactor (below 10 %)");
    service.onMessage("worker1", health("worker1", 900));
    assertThat(service.warnings("worker1")).isEmpty();
    assertThat(published).hasSize(2);
    assertThat(published.get(0)).startsWith(Topics.log("leader", Topics.UNIT_LEVEL, "app", "warning") + " ")
        .contains("worker1: health warning: disk 4 % free");
    assertThat(published.get(1)).contains("worker1: health warning cleared (disk)").contains("\"level\":\"WARNING\"");
  }

  @Test
  @DisplayName("a cleared retained health forgets the unit's figures and clears its warnings")
  void clearedRetained() {
    service.onMessage("worker1", health("worker1", 40));
    service.onMessage("worker1", Buffer.buffer());
    assertThat(service.view("worker1")).isNull();
    assertThat(published).hasSize(2);
  }
}
