package io.pioreactor.worker.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe against a machine laid out in a directory: /proc and /sys files, the state directory, the self test. */
class HealthProbeTest {
  @TempDir
  Path root;

  private final List<String> problems = new ArrayList<>();

  private HealthProbe probe(Path state) {
    return new HealthProbe(root, state, "worker1", () -> false, problems::add);
  }

  private void proc(String name, String text) throws Exception {
    Files.createDirectories(root.resolve("proc"));
    Files.writeString(root.resolve("proc").resolve(name), text);
  }

  @Test
  @DisplayName("the probe reads memory, load and uptime from /proc, and the disk of the state directory")
  void readsTheMachine() throws Exception {
    proc("meminfo", "MemTotal: 1000 kB\nMemAvailable: 250 kB\n");
    proc("loadavg", "1.00 0.50 0.25 1/1 1\n");
    proc("uptime", "42.5 0\n");
    Path state = Files.createDirectories(root.resolve("state"));
    HealthProbe.Reading r = probe(state).read();
    assertThat(r.memory()).containsExactly(1000L * 1024, 250L * 1024);
    assertThat(r.load()).containsExactly(1.0, 0.5, 0.25);
    assertThat(r.uptimeSeconds()).isEqualTo(42.5);
    assertThat(r.disk().path()).isEqualTo(state.toString());
    assertThat(r.disk().totalBytes()).isEqualTo(Files.getFileStore(state).getTotalSpace());
    assertThat(r.hatDetected()).isFalse();
  }

  @Test
  @DisplayName("a machine without a thermal zone has no CPU temperature, and that is no problem")
  void noThermalZone() throws Exception {
    HealthProbe.Reading r = probe(root).read();
    assertThat(r.cpuTemperatureC()).isNull();
    assertThat(problems).isEmpty();
  }

  @Test
  @DisplayName("the first thermal zone gives the CPU temperature")
  void thermalZone() throws Exception {
    Path t = root.resolve("sys/class/thermal/thermal_zone0/temp");
    Files.createDirectories(t.getParent());
    Files.writeString(t, "81234\n");
    assertThat(probe(root).read().cpuTemperatureC()).isEqualTo(81.2);
  }

  @Test
  @DisplayName("a state directory not made yet is measured on the filesystem it will be made on")
  void stateDirNotYetMade() throws Exception {
    Path state = root.resolve("not/yet/made");
    HealthProbe.Reading r = probe(state).read();
    assertThat(r.disk().path()).isEqualTo(state.toString());
    assertThat(r.disk().totalBytes()).isEqualTo(Files.getFileStore(root).getTotalSpace());
  }

  @Test
  @DisplayName("the self-test file is read when present; a broken one is no self test, and said")
  void selfTest() throws Exception {
    Path file = SelfTestFile.of(root, "worker1");
    Files.writeString(file, "{\"at\": \"2026-12-02T10:00:00Z\", \"passed\": [\"test_pwm\"], \"failed\": [\"test_adc\"]}");
    assertThat(probe(root).read().selfTest().failed()).containsExactly("test_adc");
    Files.writeString(file, "{\"passed\": \"all\"}");
    assertThat(probe(root).read().selfTest()).isNull();
    assertThat(problems).singleElement().asString().contains(file.toString());
  }
}
