package io.pioreactor.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {

  @Test
  @DisplayName("an absent value is the default, a value in range is taken")
  void defaultsAndValues() {
    assertThat(ConfigValues.wholeNumber(new JsonObject(), "broker", "unit_publish_rate", 200, 1, 1_000)).isEqualTo(200);
    assertThat(ConfigValues.wholeNumber(new JsonObject().put("unit_publish_rate", 5), "broker", "unit_publish_rate", 200, 1, 1_000))
        .isEqualTo(5);
  }

  @Test
  @DisplayName("a value out of range, a fraction or text is refused, naming the key and the range")
  void refusals() {
    for (Object bad : new Object[] {0, 1_001, 2.5, "100"}) {
      assertThatThrownBy(() -> ConfigValues.wholeNumber(new JsonObject().put("unit_publish_rate", bad), "broker",
          "unit_publish_rate", 200, 1, 1_000))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("broker.unit_publish_rate must be a whole number between 1 and 1000");
    }
  }
}
