package io.pioreactor.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClientIdsTest {

  @Test
  @DisplayName("a client ID's owner is everything before its last '-', so units with hyphens in their names own theirs")
  void owner() {
    assertThat(ClientIds.owner(ClientIds.worker("w1"))).contains("w1");
    assertThat(ClientIds.owner(ClientIds.job("lab-2", Jobs.STIRRING))).contains("lab-2");
    assertThat(ClientIds.owner(ClientIds.leader("leader"))).contains("leader");
    assertThat(ClientIds.owner("mqttjs_4f2a")).isEmpty();
    assertThat(ClientIds.owner("-x")).isEmpty();
  }

  @Test
  @DisplayName("a unit's credentials may use its own IDs only, never another unit's or a leader's")
  void units() {
    assertThat(ClientIds.refusal("w1", false, true, "w1-worker")).isEmpty();
    assertThat(ClientIds.refusal("w1", false, true, "w1-stirring")).isEmpty();
    assertThat(ClientIds.refusal("w1", false, true, "w2-worker")).isPresent();
    assertThat(ClientIds.refusal("w1", false, true, "w1-b-worker")).as("w1-b's, not w1's").isPresent();
    assertThat(ClientIds.refusal("w1", false, true, "w1-leader")).isPresent();
    assertThat(ClientIds.refusal("w1", false, true, "w1")).isPresent();
    assertThat(ClientIds.refusal("w1", false, true, "")).isPresent();
  }

  @Test
  @DisplayName("browsers, read-only tools and anonymous clients keep their random IDs but may not look like one of ours")
  void readers() {
    assertThat(ClientIds.refusal(null, false, false, "mosq-Zq81kd9Xe")).isEmpty();
    assertThat(ClientIds.refusal(null, false, false, "")).as("mosquitto_sub without -i: the broker names it").isEmpty();
    assertThat(ClientIds.refusal("pioreactor.web", false, false, "mqttjs_4f2a")).isEmpty();
    assertThat(ClientIds.refusal(null, false, false, "w1-worker")).isPresent();
    assertThat(ClientIds.refusal(null, false, false, "w1-od_reading")).isPresent();
    assertThat(ClientIds.refusal("pioreactor.web", false, false, "leader-leader")).isPresent();
  }

  @Test
  @DisplayName("a client ID longer than MAX_LENGTH is refused to everyone but the leader")
  void bounded() {
    String longId = "w1-" + "x".repeat(ClientIds.MAX_LENGTH);
    assertThat(ClientIds.refusal("w1", false, true, longId)).isPresent();
    assertThat(ClientIds.refusal(null, false, false, "y".repeat(ClientIds.MAX_LENGTH + 1))).isPresent();
    assertThat(ClientIds.refusal(null, false, false, "y".repeat(ClientIds.MAX_LENGTH))).isEmpty();
  }

  @Test
  @DisplayName("the leader (an admin user) may use any ID")
  void admin() {
    assertThat(ClientIds.refusal("pioreactor.leader", true, false, "w1-worker")).isEmpty();
    assertThat(ClientIds.refusal("pioreactor.leader", true, false, "")).isEmpty();
  }
}
