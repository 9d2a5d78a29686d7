package io.pioreactor.protocol.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Linux's /proc and /sys texts, as this machine's figures. */
class ProcParsersTest {
  @Test
  @DisplayName("meminfo gives MemTotal and MemAvailable in bytes")
  void memory() {
    String meminfo = "MemTotal:        3884320 kB\nMemFree:          123456 kB\nMemAvailable:    2000000 kB\nBuffers: 1 kB\n";
    assertThat(ProcParsers.memory(meminfo)).hasValueSatisfying(m -> assertThat(m).containsExactly(3884320L * 1024, 2000000L * 1024));
  }

  @Test
  @DisplayName("meminfo without MemAvailable (an old kernel) gives no memory figures rather than wrong ones")
  void memoryMissingLine() {
    assertThat(ProcParsers.memory("MemTotal: 100 kB\nMemFree: 50 kB\n")).isEmpty();
  }

  @Test
  @DisplayName("loadavg gives the 1, 5 and 15 minute averages")
  void load() {
    assertThat(ProcParsers.load("0.52 0.58 0.59 1/389 12345\n")).hasValueSatisfying(l -> assertThat(l).containsExactly(0.52, 0.58, 0.59));
    assertThat(ProcParsers.load("garbage")).isEmpty();
  }

  @Test
  @DisplayName("uptime gives the seconds since boot")
  void uptime() {
    assertThat(ProcParsers.uptime("350735.47 234388.90\n")).contains(350735.47);
    assertThat(ProcParsers.uptime("")).isEmpty();
  }

  @Test
  @DisplayName("a thermal zone's millidegrees are degrees Celsius to one decimal; anything else is no temperature")
  void temperature() {
    assertThat(ProcParsers.temperature("48312\n")).contains(48.3);
    assertThat(ProcParsers.temperature("-1500")).contains(-1.5);
    assertThat(ProcParsers.temperature("N/A")).isEmpty();
  }
}
