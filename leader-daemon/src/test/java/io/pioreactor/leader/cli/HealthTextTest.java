package io.pioreactor.leader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The HEALTH column of pio workers status. */
class HealthTextTest {
  private static JsonObject warning(String check, String shortText) {
    return new JsonObject().put("check", check).put("message", "long words").put("short", shortText);
  }

  @Test
  @DisplayName("a unit with no health known is '-', a healthy one 'ok', an unwell one its warnings in short words")
  void column() {
    assertThat(HealthText.of(new JsonObject().put("health", null))).isEqualTo("-");
    assertThat(HealthText.of(new JsonObject())).as("an older leader without health").isEqualTo("-");
    assertThat(HealthText.of(new JsonObject().put("health", new JsonObject().put("warnings", new JsonArray())))).isEqualTo("ok");
    assertThat(HealthText.of(new JsonObject().put("health", new JsonObject().put("warnings",
        new JsonArray().add(warning("disk", "disk 4 % free")).add(warning("hat", "no HAT"))))))
        .isEqualTo("disk 4 % free; no HAT");
  }
}
