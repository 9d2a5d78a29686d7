package io.pioreactor.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The table both brokers are checked against lives in BrokerConformance; these are the rule's edges. */
class PublishRulesTest {

  @Test
  @DisplayName("a unit publishes its facts, job states and settings, PWM duty cycles, replies and logs under its own name")
  void allowed() {
    assertThat(PublishRules.unitMayPublish("w1", Topics.monitorState("w1"))).isTrue();
    assertThat(PublishRules.unitMayPublish("w1", Topics.jobState("w1", "exp 1", Jobs.STIRRING))).isTrue();
    assertThat(PublishRules.unitMayPublish("w1", Topics.job("w1", "exp 1", Jobs.STIRRING, "target_rpm"))).isTrue();
    assertThat(PublishRules.unitMayPublish("w1", Topics.pwmDutyCycles("w1"))).isTrue();
    assertThat(PublishRules.unitMayPublish("w1", Topics.commandReply("w1", Protocol.REBOOT))).isTrue();
    assertThat(PublishRules.unitMayPublish("w1", Topics.log("w1", Topics.UNIT_LEVEL, "app", "info"))).isTrue();
  }

  @Test
  @DisplayName("a unit publishes its dosing and LED change events four levels deep under its own name, and nothing else at that depth")
  void eventsAtFourLevels() {
    assertThat(PublishRules.unitMayPublish("w1", Topics.dosingEvents("w1", "exp 1"))).isTrue();
    assertThat(PublishRules.unitMayPublish("w1", Topics.ledChangeEvents("w1", "exp 1"))).isTrue();
    assertThat(PublishRules.unitMayPublish("w1", Topics.dosingEvents("w2", "exp 1"))).isFalse();
    assertThat(PublishRules.unitMayPublish("w1", Topics.ledChangeEvents(Topics.BROADCAST, "exp 1"))).isFalse();
    assertThat(PublishRules.unitMayPublish("w1", Topics.dosingEvents("w1", ""))).isFalse();
    assertThat(PublishRules.unitMayPublish("w1", Topics.assignment("w1"))).isFalse();
    assertThat(PublishRules.unitMayPublish("w1", Topics.command("w1", Protocol.REBOOT))).isFalse();
    assertThat(PublishRules.unitMayPublish("w1", Topics.job("w1", "exp 1", Topics.DOSING_EVENTS, "x") + "/y")).isFalse();
  }

  @Test
  @DisplayName("never commands, its membership, /set requests, another unit's or $broadcast topics, wildcards or empty levels")
  void refused() {
    assertThat(PublishRules.unitMayPublish("w1", Topics.command("w1", Protocol.RENAME))).isFalse();
    assertThat(PublishRules.unitMayPublish("w1", Topics.assignment("w1"))).isFalse();
    assertThat(PublishRules.unitMayPublish("w1", Topics.set("w1", "e", Jobs.STIRRING, "duty_cycle"))).isFalse();
    assertThat(PublishRules.unitMayPublish("w1", Topics.monitorState("w2"))).isFalse();
    assertThat(PublishRules.unitMayPublish("w1", Topics.jobState(Topics.BROADCAST, "e", Jobs.STIRRING))).isFalse();
    assertThat(PublishRules.unitMayPublish("w1", "pioreactor/w1/+/x/y")).isFalse();
    assertThat(PublishRules.unitMayPublish("w1", "pioreactor/w1//x/y")).isFalse();
    assertThat(PublishRules.unitMayPublish("w1", "pioreactor/w1/e/logs/a/b/c")).isFalse();
    assertThat(PublishRules.unitMayPublish("w1", null)).isFalse();
  }
}
