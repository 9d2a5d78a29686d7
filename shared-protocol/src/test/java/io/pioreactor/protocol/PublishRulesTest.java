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

  // Who may subscribe where (mayRead): the configuration tree is each unit's own.

  @Test
  @DisplayName("a unit reads its own configuration tree and its effective configuration")
  void unitReadsItsOwnConfiguration() {
    assertThat(PublishRules.mayRead("w1", Topics.unitConfigTree("w1"))).isTrue();
    assertThat(PublishRules.mayRead("w1", Topics.unitConfig("w1"))).isTrue();
  }

  @Test
  @DisplayName("a unit does not read another unit's configuration, nor one whose name only starts like its own")
  void unitDoesNotReadAnothersConfiguration() {
    assertThat(PublishRules.mayRead("w1", Topics.unitConfigTree("w2"))).isFalse();
    assertThat(PublishRules.mayRead("w1", Topics.unitConfig("w2"))).isFalse();
    assertThat(PublishRules.mayRead("w1", Topics.unitConfig("w1-b"))).isFalse();
    assertThat(PublishRules.mayRead("w1-b", Topics.unitConfig("w1"))).isFalse();
  }

  @Test
  @DisplayName("no one but the leader subscribes with a filter starting with a wildcard: '#', '+/…'")
  void leadingWildcards() {
    for (String unit : new String[] {"w1", null}) {
      assertThat(PublishRules.mayRead(unit, "#")).as("%s on #", unit).isFalse();
      assertThat(PublishRules.mayRead(unit, "+/w1/" + Topics.EFFECTIVE_CONFIG)).as("%s on +/w1/effective", unit).isFalse();
      assertThat(PublishRules.mayRead(unit, "+/#")).as("%s on +/#", unit).isFalse();
      assertThat(PublishRules.mayRead(unit, "+")).as("%s on +", unit).isFalse();
    }
  }

  @Test
  @DisplayName("a unit does not read the configuration tree with wildcards: pioreactor_config/+/…, pioreactor_config/#, or its root")
  void wildcardsInTheConfigurationTree() {
    assertThat(PublishRules.mayRead("w1", Topics.unitConfig("+"))).isFalse();
    assertThat(PublishRules.mayRead("w1", Topics.unitConfigTree("+"))).isFalse();
    assertThat(PublishRules.mayRead("w1", Topics.CONFIG_ROOT + "/#")).isFalse();
    assertThat(PublishRules.mayRead("w1", Topics.CONFIG_ROOT)).isFalse();
  }

  @Test
  @DisplayName("readers (browsers, anonymous: no unit) read no configuration at all")
  void readersReadNoConfiguration() {
    assertThat(PublishRules.mayRead(null, Topics.unitConfig("w1"))).isFalse();
    assertThat(PublishRules.mayRead(null, Topics.unitConfigTree("w1"))).isFalse();
    assertThat(PublishRules.mayRead(null, Topics.CONFIG_ROOT + "/#")).isFalse();
    assertThat(PublishRules.mayRead(null, Topics.unitConfig("null"))).isFalse();
  }

  @Test
  @DisplayName("everyone reads pioreactor/# and anything in it, units' configuration statuses included")
  void everyoneReadsTheTree() {
    for (String unit : new String[] {"w1", "w2", null}) {
      assertThat(PublishRules.mayRead(unit, Topics.ROOT + "/#")).as("%s on pioreactor/#", unit).isTrue();
      assertThat(PublishRules.mayRead(unit, Topics.allMonitorAttributes())).isTrue();
      assertThat(PublishRules.mayRead(unit, Topics.configStatus("w1"))).isTrue();
      assertThat(PublishRules.mayRead(unit, Topics.allConfigStatuses())).isTrue();
      assertThat(PublishRules.mayRead(unit, Topics.monitorState("w2"))).isTrue();
    }
  }

  @Test
  @DisplayName("an empty or missing filter is no subscription")
  void emptyFilters() {
    assertThat(PublishRules.mayRead("w1", "")).isFalse();
    assertThat(PublishRules.mayRead("w1", null)).isFalse();
  }

  @Test
  @DisplayName("a unit publishes its configuration status, but nothing in the configuration tree (only the leader sends configurations)")
  void configurationPublishing() {
    assertThat(PublishRules.unitMayPublish("w1", Topics.configStatus("w1"))).isTrue();
    assertThat(PublishRules.unitMayPublish("w1", Topics.configStatus("w2"))).isFalse();
    assertThat(PublishRules.unitMayPublish("w1", Topics.unitConfig("w1"))).isFalse();
    assertThat(PublishRules.unitMayPublish("w1", Topics.unitConfig("w2"))).isFalse();
  }
}
