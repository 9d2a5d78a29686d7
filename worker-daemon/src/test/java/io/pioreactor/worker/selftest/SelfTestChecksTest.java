package io.pioreactor.worker.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import com.pi4j.context.Context;
import io.pioreactor.worker.hardware.GpioContexts;
import io.pioreactor.worker.hardware.Hat;
import io.pioreactor.worker.hardware.HatSettings;
import io.pioreactor.worker.hardware.MockBench;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each self-test check against pi4j's mock platform and the world the mock models ({@link MockBench}): a healthy mock
 * passes every check; each part configured broken fails its own check, with a reason that names it, and no other.
 */
@ExtendWith(VertxExtension.class)
class SelfTestChecksTest {
  private Context pi4j;

  @AfterEach
  void stop() {
    if (pi4j != null) {
      pi4j.shutdown();
    }
  }

  /** Every check's outcome on a mock with {@code broken} parts: null for a pass, else its reason. */
  private Map<String, String> runAll(Vertx vertx, List<String> broken, JsonArray[] seen) {
    MockBench bench = new MockBench(broken);
    HatSettings settings = HatSettings.fromJson(new JsonObject(), true);
    pi4j = GpioContexts.mock(bench.stuckPwmPins(settings.pwmPins()));
    Hat hat = new Hat(vertx, pi4j, settings, bench);
    SelfTestChecks checks = new SelfTestChecks(vertx, hat, 500).onCorrelations(c -> seen[0] = c);
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : SelfTestChecks.NAMES) {
      Future<Void> f = checks.check(name).get();
      try {
        f.await();
        out.put(name, null);
      } catch (Exception e) {
        out.put(name, e.getMessage());
      }
    }
    checks.allOff().await();
    return out;
  }

  @Test
  @DisplayName("on a healthy mock every check passes and the IR LED is seen by both photodiodes")
  void healthyMockPassesEveryCheck(Vertx vertx) {
    JsonArray[] seen = {null};
    Map<String, String> results = runAll(vertx, List.of(), seen);
    assertThat(results).containsOnlyKeys(SelfTestChecks.NAMES).allSatisfy((name, reason) -> assertThat(reason).as(name).isNull());
    assertThat(seen[0]).contains(new JsonArray().add("A").add("pd1"), new JsonArray().add("A").add("pd2"));
  }

  @ParameterizedTest(name = "a mock with {0} broken fails {1} only, saying ''{2}''")
  @CsvSource({
      "hat, test_pioreactor_HAT_present, ADC does not answer",
      "pd1, test_all_positive_correlations_between_pds_and_leds, pd1 does not respond to the IR LED",
      "pd2, test_all_positive_correlations_between_pds_and_leds, pd2 does not respond to the IR LED",
      "led_a, test_all_positive_correlations_between_pds_and_leds, pd1 does not respond to the IR LED",
      "led_c, test_all_positive_correlations_between_pds_and_leds, no photodiode sees LED C",
      "ambient_light, test_ambient_light_interference, light gets in",
      "thermometer, test_detect_heating_pcb, thermometer does not answer",
      "stirring, test_positive_correlation_between_rpm_and_stirring, saw no turn of the fan",
      "pwm_media, test_pwm_outputs_accept_duty_cycles, PWM media (BCM 13) reads back 0.0 %",
  })
  void eachBrokenPartFailsItsOwnCheck(String part, String failing, String reason, Vertx vertx) {
    Map<String, String> results = runAll(vertx, List.of(part), new JsonArray[1]);
    assertThat(results.get(failing)).contains(reason);
    results.forEach((name, why) -> {
      if (!name.equals(failing)) {
        assertThat(why).as(name + " with " + part + " broken").isNull();
      }
    });
  }

  @Test
  @DisplayName("a mock configured with a part it does not know is refused, naming the known parts")
  void unknownPartIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MockBench(List.of("flux_capacitor")))
        .hasMessageContaining("flux_capacitor").hasMessageContaining("pd1");
  }
}
