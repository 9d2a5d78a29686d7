package io.pioreactor.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TopicTest {

  @Test
  @DisplayName("built topics parse back into the same parts")
  void roundTrip() {
    Topic t = Topic.parse(Topics.monitorState("w1")).orElseThrow();
    assertThat(t.unit()).isEqualTo("w1");
    assertThat(t.isUnitLevel()).isTrue();
    assertThat(t.isMonitor()).isTrue();
    assertThat(t.attribute()).contains("$state");
    assertThat(Topics.monitorState("w1")).isEqualTo("pioreactor/w1/$experiment/monitor/$state");
    assertThat(Topics.flickerLed("$broadcast")).isEqualTo("pioreactor/$broadcast/$experiment/monitor/flicker_led_response_okay");
  }

  @Test
  @DisplayName("commands and replies are told apart")
  void commands() {
    Topic cmd = Topic.parse(Topics.command("w1", Protocol.HANDSHAKE)).orElseThrow();
    Topic reply = Topic.parse(Topics.commandReply("w1", Protocol.HANDSHAKE)).orElseThrow();
    assertThat(cmd.isCommand()).isTrue();
    assertThat(cmd.isCommandReply()).isFalse();
    assertThat(reply.isCommandReply()).isTrue();
    assertThat(reply.commandName()).isEqualTo("handshake");
  }

  @Test
  @DisplayName("logs and assignments are recognised")
  void logsAndAssignment() {
    assertThat(Topic.parse(Topics.log("w1", "exp1", "stirring", "info")).orElseThrow().isLog()).isTrue();
    assertThat(Topic.parse(Topics.assignment("w1")).orElseThrow().isAssignment()).isTrue();
    assertThat(Topic.parse(Topics.assignment("w1")).orElseThrow().isLog()).isFalse();
  }

  @Test
  @DisplayName("a job's $state is a job state; the monitor's is not")
  void jobStates() {
    assertThat(Topic.parse(Topics.job("w1", "exp1", "stirring", Topics.STATE)).orElseThrow().isJobState()).isTrue();
    assertThat(Topic.parse(Topics.monitorState("w1")).orElseThrow().isJobState()).isFalse();
    assertThat(Topic.parse(Topics.job("w1", "exp1", "stirring", "target_rpm")).orElseThrow().isJobState()).isFalse();
    assertThat(Topics.allJobStates()).isEqualTo("pioreactor/+/+/+/$state");
  }

  @Test
  @DisplayName("topics outside our tree or with empty segments are not parsed")
  void rejects() {
    assertThat(Topic.parse(null)).isEmpty();
    assertThat(Topic.parse("")).isEmpty();
    assertThat(Topic.parse("other/w1/x/y")).isEmpty();
    assertThat(Topic.parse("pioreactor/w1/x")).isEmpty();
    assertThat(Topic.parse("pioreactor//x/y")).isEmpty();
    assertThat(Topic.parse("pioreactor/w1/x/y/")).isEmpty();
  }

  @Test
  @DisplayName("commands live under $commands, four levels deep, so no unit pattern (pioreactor/<u>/+/+/+) covers them")
  void commandsShape() {
    assertThat(Topics.command("w1", Protocol.REBOOT)).isEqualTo("pioreactor/w1/$commands/reboot");
    assertThat(Topics.commandReply("w1", Protocol.REBOOT)).isEqualTo("pioreactor/w1/$commands/reboot/reply");
    assertThat(Topic.parse(Topics.commandReply("w1", Protocol.REBOOT)).orElseThrow().isJobAttribute()).isFalse();
    assertThat(Topic.matches(Topics.allJobAttributes(), Topics.commandReply("w1", Protocol.REBOOT))).isTrue();
  }

  @Test
  @DisplayName("topics whose unit, experiment or job segment no rule accepts are not ours")
  void validNames() {
    assertThat(Topic.parse(Topics.monitorState("w1")).orElseThrow().hasValidNames()).isTrue();
    assertThat(Topic.parse(Topics.jobState("w1", "exp 1", Jobs.STIRRING)).orElseThrow().hasValidNames()).isTrue();
    assertThat(Topic.parse(Topics.log("w1", "exp 1", "app", "info")).orElseThrow().hasValidNames()).isTrue();
    assertThat(Topic.parse(Topics.commandReply("w1", Protocol.HANDSHAKE)).orElseThrow().hasValidNames()).isTrue();
    assertThat(Topic.parse("pioreactor/pioreactor.web/$experiment/monitor/$state").orElseThrow().hasValidNames()).isFalse();
    assertThat(Topic.parse("pioreactor/w1/_testing_x/stirring/$state").orElseThrow().hasValidNames()).isFalse();
    assertThat(Topic.parse("pioreactor/w1/$other/stirring/$state").orElseThrow().hasValidNames()).isFalse();
    assertThat(Topic.parse("pioreactor/w1/e1/Stirring!/$state").orElseThrow().hasValidNames()).isFalse();
  }

  @Test
  @DisplayName("a setting's name, a log's source and its level are bounded names too, so no stranger's text is kept as one")
  void validAttributesAndLogSegments() {
    assertThat(Topic.parse(Topics.job("w1", "e1", Jobs.STIRRING, "target_rpm")).orElseThrow().hasValidNames()).isTrue();
    assertThat(Topic.parse(Topics.job("w1", "e1", Jobs.STIRRING, "x".repeat(65))).orElseThrow().hasValidNames()).isFalse();
    assertThat(Topic.parse(Topics.job("w1", "e1", Jobs.STIRRING, "<b>rpm</b>")).orElseThrow().hasValidNames()).isFalse();
    assertThat(Topic.parse(Topics.log("w1", "e1", "od_reading.v2", "warning")).orElseThrow().hasValidNames()).isTrue();
    assertThat(Topic.parse(Topics.log("w1", "e1", "app\nFAKE", "info")).orElseThrow().hasValidNames()).isFalse();
    assertThat(Topic.parse(Topics.log("w1", "e1", "app", "x".repeat(17))).orElseThrow().hasValidNames()).isFalse();
  }

  @Test
  @DisplayName("dosing and LED change events are four levels deep under the experiment, as upstream's leader subscribes to them")
  void eventTopicsHaveUpstreamsShape() {
    assertThat(Topics.allDosingEvents()).isEqualTo("pioreactor/+/+/dosing_events");
    assertThat(Topics.allLedChangeEvents()).isEqualTo("pioreactor/+/+/led_change_events");
    assertThat(Topics.job("w1", "exp1", Jobs.STIRRING, Topics.MEASURED_RPM)).isEqualTo("pioreactor/w1/exp1/stirring/measured_rpm");
  }

  @Test
  @DisplayName("an experiment's dosing and LED change events are recognised; under a $ segment or at another depth they are not")
  void eventTopicsAreRecognised() {
    Topic dosing = Topic.parse(Topics.dosingEvents("w1", "exp 1")).orElseThrow();
    Topic leds = Topic.parse(Topics.ledChangeEvents("w1", "exp 1")).orElseThrow();
    assertThat(dosing.isDosingEvent()).isTrue();
    assertThat(dosing.isLedChangeEvent()).isFalse();
    assertThat(leds.isLedChangeEvent()).isTrue();
    assertThat(dosing.hasValidNames()).isTrue();
    assertThat(Topic.parse(Topics.dosingEvents("w1", Topics.COMMANDS)).orElseThrow().isDosingEvent()).isFalse();
    assertThat(Topic.parse(Topics.ledChangeEvents("w1", Topics.UNIT_LEVEL)).orElseThrow().isLedChangeEvent()).isFalse();
    assertThat(Topic.parse(Topics.job("w1", "exp 1", Topics.DOSING_EVENTS, "x")).orElseThrow().isDosingEvent()).isFalse();
  }
}
