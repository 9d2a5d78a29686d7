package io.pioreactor.protocol.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the known options may hold; every refusal names its line. */
class ConfigRulesTest {

  /** A configuration the units could run with: upstream's required sections, filled in. */
  private static final String COMPLETE = """
      [cluster.topology]
      leader_hostname=leader1
      leader_address=leader1.local

      [mqtt]
      broker_address=leader1.local
      broker_port=1883
      """;

  private static List<IniException> problems(String text, boolean complete) {
    return ConfigRules.problems(Ini.parse(text), complete);
  }

  /** The one problem of {@code text} (checked as a part, not complete): its line and message. */
  private static IniException onlyProblem(String text) {
    List<IniException> p = problems(text, false);
    assertThat(p).as("problems of:\n" + text).hasSize(1);
    return p.get(0);
  }

  @Test
  @DisplayName("a complete configuration with upstream's sections has no problems")
  void completeIsFine() {
    assertThat(problems(COMPLETE + "\n[PWM]\n1=stirring\n2=media\n\n[stirring.config]\ninitial_target_rpm=500\nuse_rpm=1\n", true))
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"5001", "-1", "1e9"})
  @DisplayName("[stirring.config] initial_target_rpm out of range is refused at its line, with the range")
  void rpmOutOfRange(String value) {
    IniException e = onlyProblem("[stirring.config]\nuse_rpm=1\ninitial_target_rpm=" + value + "\n");
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.getMessage()).startsWith("line 3: [stirring.config] initial_target_rpm").contains("0 to 5000").contains(value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"fast", "500 rpm", "NaN", "Infinity", "500f", "500d", "0x1p9", "1_000"})
  @DisplayName("[stirring.config] initial_target_rpm that is not a decimal number is refused at its line (Java's own forms too: 500f, 0x1p9)")
  void rpmNotANumber(String value) {
    IniException e = onlyProblem("[stirring.config]\ninitial_target_rpm=" + value + "\n");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.getMessage()).contains("initial_target_rpm").contains("number");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "5000", "500", "500.5", "+500", ".5", "5.", "5e2", "5E+2"})
  @DisplayName("[stirring.config] initial_target_rpm takes any decimal number in range, as Python's float reads it")
  void rpmNumbers(String value) {
    assertThat(problems("[stirring.config]\ninitial_target_rpm=" + value + "\n", false)).isEmpty();
  }

  @Test
  @DisplayName("a whole number where one is needed: samples_for_od_statistics=1.5 is refused at its line")
  void wholeNumbers() {
    IniException e = onlyProblem("[growth_rate_calculating.config]\nsamples_for_od_statistics=1.5\n");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.getMessage()).contains("whole number");
    assertThat(problems("[growth_rate_calculating.config]\nsamples_for_od_statistics=10\n", false)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"maybe", "2", "y", "enabled"})
  @DisplayName("a yes/no option that is not one of configparser's booleans is refused at its line")
  void booleans(String value) {
    IniException e = onlyProblem("[stirring.config]\n\nuse_rpm=" + value + "\n");
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.getMessage()).contains("[stirring.config] use_rpm").contains("yes/no");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "0", "yes", "No", "TRUE", "false", "on", "Off"})
  @DisplayName("configparser's booleans, in any case, are yes/no values")
  void booleanSpellings(String value) {
    assertThat(problems("[stirring.config]\nuse_rpm=" + value + "\n", false)).isEmpty();
  }

  @Test
  @DisplayName("an option that is auto or a number takes either, and nothing else")
  void autoOrNumber() {
    assertThat(problems("[od_reading.config]\nir_led_intensity=auto\n", false)).isEmpty();
    assertThat(problems("[od_reading.config]\nir_led_intensity=80\n", false)).isEmpty();
    assertThat(onlyProblem("[od_reading.config]\nir_led_intensity=bright\n").getMessage()).contains("auto or a number");
    assertThat(onlyProblem("[od_reading.config]\nir_led_intensity=101\n").line()).isEqualTo(2);
  }

  @Test
  @DisplayName("[PWM] with one output on two channels is refused at the second, naming the first")
  void pwmOutputTwice() {
    IniException e = onlyProblem("[PWM]\n1=stirring\n2=media\n3=stirring\n");
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.getMessage()).contains("'stirring'").contains("channel 1").contains("line 2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"7", "0", "six", "A"})
  @DisplayName("[PWM] has channels 1 to 5: any other channel is refused at its line")
  void pwmChannels(String channel) {
    IniException e = onlyProblem("[PWM]\n1=stirring\n" + channel + "=heating\n");
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.getMessage()).contains("channels 1 to 5").contains(channel);
  }

  @Test
  @DisplayName("[leds] with one label on two channels is refused at the second")
  void ledLabelTwice() {
    IniException e = onlyProblem("[leds]\nA=IR\nB=white\nC=IR\n");
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.getMessage()).contains("[leds]").contains("'IR'").contains("channel A");
  }

  @Test
  @DisplayName("two REF photodiodes are refused, at [od_config.photodiode_channel]")
  void twoReferences() {
    IniException e = onlyProblem("[stirring.config]\n\n[od_config.photodiode_channel]\n1=REF\n2=REF\n");
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.getMessage()).contains("one REF").contains("2");
    assertThat(problems("[od_config.photodiode_channel]\n1=90\n2=REF\n3=\n4=\n", false)).isEmpty();
  }

  @Test
  @DisplayName("a photodiode's angle is 45, 90, 135, 180 or REF")
  void photodiodeAngles() {
    IniException e = onlyProblem("[od_config.photodiode_channel]\n1=91\n");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.getMessage()).contains("45, 90, 135, 180, REF");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://leader1.local", "https://10.0.0.2", "http"})
  @DisplayName("[cluster.topology] leader_address starting with http is refused at its line (upstream: don't start addresses with http://)")
  void leaderAddressWithScheme(String address) {
    IniException e = onlyProblem("[cluster.topology]\nleader_hostname=leader1\nleader_address=" + address + "\n");
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.getMessage()).contains("leader_address").contains("http://");
  }

  @Test
  @DisplayName("[mqtt] broker_address starting with http is refused at its line too")
  void brokerAddressWithScheme() {
    IniException e = onlyProblem("[mqtt]\nbroker_address=https://leader1.local\n");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.getMessage()).contains("[mqtt] broker_address");
  }

  @Test
  @DisplayName("[cluster.topology] leader_hostname must be a unit name")
  void leaderHostname() {
    IniException e = onlyProblem("[cluster.topology]\nleader_hostname=leader1.local\n");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.getMessage()).contains("leader_hostname").contains(".local");
  }

  @Test
  @DisplayName("[mqtt] ports are whole numbers from 1 to 65535")
  void ports() {
    assertThat(onlyProblem("[mqtt]\nbroker_port=65536\n").line()).isEqualTo(2);
    assertThat(onlyProblem("[mqtt]\nbroker_ws_port=ws\n").getMessage()).contains("broker_ws_port");
  }

  @Test
  @DisplayName("missing [cluster.topology] and [mqtt] are refused when the configuration is complete, and fine in a part")
  void requiredSections() {
    String part = "[PWM]\n1=stirring\n";
    assertThat(problems(part, false)).isEmpty();
    List<IniException> p = problems(part, true);
    assertThat(p).extracting(IniException::getMessage)
        .anySatisfy(m -> assertThat(m).contains("[cluster.topology]"))
        .anySatisfy(m -> assertThat(m).contains("[mqtt]"));
    assertThat(p).extracting(IniException::line).containsOnly(0);
    assertThat(problems(COMPLETE.replace("[mqtt]", "[mqtt.other]"), true)).singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains("[mqtt]"));
  }

  @Test
  @DisplayName("a complete configuration needs leader_hostname and leader_address, set, under [cluster.topology]")
  void requiredTopology() {
    List<IniException> p = problems("[cluster.topology]\nleader_address=\n[mqtt]\n", true);
    assertThat(p).hasSize(2).allSatisfy(e -> assertThat(e.line()).isEqualTo(1));
    assertThat(p).extracting(IniException::getMessage)
        .anySatisfy(m -> assertThat(m).contains("leader_hostname"))
        .anySatisfy(m -> assertThat(m).contains("leader_address"));
    assertThat(problems("[cluster.topology]\nleader_address=leader1.local\n[mqtt]\n", false)).as("in a part").isEmpty();
  }

  @Test
  @DisplayName("sections and keys it does not know are accepted as they are (plugins read their own)")
  void unknownAccepted() {
    assertThat(problems(COMPLETE + "[my_plugin.config]\nanything=at all\n[stirring.config]\nsomething_new=?\n", true)).isEmpty();
  }

  @Test
  @DisplayName("an empty value means unset: no range or type check, and empty channels are not duplicates")
  void emptyMeansUnset() {
    assertThat(problems("""
        [stirring.config]
        initial_target_rpm=
        use_rpm=
        [PWM]
        1=stirring
        2=
        3=
        [leds]
        A=IR
        B=
        C=
        [od_config.photodiode_channel]
        1=
        2=
        """, false)).isEmpty();
  }

  @Test
  @DisplayName("every problem is reported, in line order; check throws the first")
  void allProblemsInOrder() {
    String text = "[PWM]\n1=stirring\n2=stirring\n[stirring.config]\nuse_rpm=maybe\ninitial_target_rpm=-5\n[PWM.more]\n";
    assertThat(problems(text, false)).extracting(IniException::line).containsExactly(3, 5, 6);
    assertThatThrownBy(() -> ConfigRules.check(Ini.parse(text), false)).isInstanceOf(IniException.class)
        .satisfies(e -> assertThat(((IniException) e).line()).isEqualTo(3));
    ConfigRules.check(Ini.parse(COMPLETE), true);
  }
}
