package io.pioreactor.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"worker1", "pio-02", "a_b", "X", "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabc"})
  @DisplayName("good unit names pass")
  void goodUnits(String name) {
    assertThat(Names.unitNameProblem(name)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "localhost", "LocalHost", "10.0.0.2", "$broadcast", "w1.local", "w 1", "w1;rm -rf /",
      "$(reboot)", "`id`", "w1/x", "w+", "-w1", "w1-", "é", "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd"})
  @DisplayName("bad unit names are refused with a reason")
  void badUnits(String name) {
    assertThat(Names.unitNameProblem(name)).isPresent();
  }

  @Test
  void nullUnit() {
    assertThat(Names.unitNameProblem(null)).contains("a worker name is required");
  }

  @ParameterizedTest
  @ValueSource(strings = {"exp1", "My experiment 2026", "growth (E. coli)", "ü-ok"})
  void goodExperiments(String name) {
    assertThat(Names.experimentNameProblem(name)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "current", "_testing_x", "a#b", "a$b", "a%b", "a+b", "a/b", "a\\b", "a\nb", " exp1", "exp1 ", ".", ".."})
  void badExperiments(String name) {
    assertThat(Names.experimentNameProblem(name)).isPresent();
  }

  @Test
  void experimentLength() {
    assertThat(Names.experimentNameProblem("x".repeat(199))).isEmpty();
    assertThat(Names.experimentNameProblem("x".repeat(200))).isPresent();
  }

  @Test
  void ipv4() {
    assertThat(Names.isIpv4("192.168.1.20")).isTrue();
    assertThat(Names.isIpv4("256.1.1.1")).isFalse();
    assertThat(Names.isIpv4("1.2.3")).isFalse();
    assertThat(Names.isIpv4("a.b.c.d")).isFalse();
  }
}
