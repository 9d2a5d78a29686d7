package io.pioreactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.protocol.Topics;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

@DisplayName("hostile MQTT input: the embedded broker")
class HostileMqttEmbeddedTest extends HostileMqtt {
  @Override
  boolean embedded() {
    return true;
  }

  /** Mosquitto cannot bind client IDs to users (docs/broker.md); the embedded broker does. */
  @Test
  @Order(7)
  @DisplayName("row 6: worker1's credentials with the leader's client ID or worker2's, again and again: refused; neither session is taken over")
  void sessionsBoundToIdentities() throws Exception {
    int from = c.seen.size();
    String leaderLogBefore = c.daemon("leader-daemon").log();
    for (int i = 0; i < 20; i++) {
      for (String stolen : List.of("leader-leader", "worker2-worker", "worker2-stirring")) {
        assertThat(c.canConnect("worker1", stolen)).as("worker1 as " + stolen).isFalse();
      }
      assertThat(c.canConnect(null, "worker2-worker")).as("anonymous as worker2").isFalse();
    }
    c.roundTrip("worker2");
    assertThat(c.seenSince(from, Topics.monitorState("worker2"))).as("worker2's state meanwhile").doesNotContain("lost", "init");
    assertThat(c.daemon("leader-daemon").log().substring(leaderLogBefore.length())).doesNotContain("lost the MQTT broker");
    assertThat(c.http.get("/api/health").body()).contains("\"mqtt_connected\":true");
    assertThat(c.canConnect("worker1", "worker1-probe")).as("worker1 with its own kind of ID").isTrue();
  }
}
