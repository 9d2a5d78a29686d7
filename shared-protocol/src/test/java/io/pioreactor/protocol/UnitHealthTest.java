package io.pioreactor.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A unit's health on the wire: what a worker says of its machine, read back strictly and bounded. */
class UnitHealthTest {
  private static UnitHealth sample(UnitHealth.SelfTest st) {
    return new UnitHealth("worker1", "2026-12-02T10:00:00Z", 60, new UnitHealth.Disk("/var/lib/pioreactor", 400, 10_000),
        2_000_000L, 1_000_000L, new double[] {0.5, 0.25, 0.125}, null, 3600.5, 1.25, true, "c0578022faec", st);
  }

  @Test
  @DisplayName("a health round-trips, with the free percentage worked out from the bytes and absent figures as null")
  void roundTrips() {
    UnitHealth h = sample(new UnitHealth.SelfTest("2026-12-01T00:00:00Z", List.of("test_pwm"), List.of("test_adc")));
    JsonObject o = h.toJson();
    assertThat(o.getJsonObject("disk").getDouble("free_percent")).isEqualTo(4.0);
    assertThat(o.containsKey("cpu_temperature_c")).isTrue();
    assertThat(o.getValue("cpu_temperature_c")).isNull();
    UnitHealth back = UnitHealth.fromBuffer(h.toBuffer());
    assertThat(back.toJson()).isEqualTo(o);
    assertThat(back.selfTest().failed()).containsExactly("test_adc");
  }

  @Test
  @DisplayName("a health with no self test and no load reads back with neither")
  void withoutOptionalParts() {
    JsonObject o = sample(null).toJson().put("load", null);
    UnitHealth back = UnitHealth.fromBuffer(o.toBuffer());
    assertThat(back.selfTest()).isNull();
    assertThat(back.load()).isNull();
  }

  @Test
  @DisplayName("a health over 8 KB is refused before it is parsed")
  void oversizeRefused() {
    JsonObject o = sample(null).toJson().put("padding", "x".repeat(UnitHealth.MAX_BYTES));
    assertThatThrownBy(() -> UnitHealth.fromBuffer(o.toBuffer())).isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("at most");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "[]", "{}", "{\"pioreactor_unit\": \"worker1\"}",
      "{\"pioreactor_unit\": \"bad name!\", \"at\": \"t\", \"interval_seconds\": 60, \"disk\": {\"path\": \"/\", \"free_bytes\": 1, \"total_bytes\": 2}}",
      "{\"pioreactor_unit\": \"w1\", \"at\": \"t\", \"interval_seconds\": 0, \"disk\": {\"path\": \"/\", \"free_bytes\": 1, \"total_bytes\": 2}}",
      "{\"pioreactor_unit\": \"w1\", \"at\": \"t\", \"interval_seconds\": 60, \"disk\": {\"path\": \"/\", \"free_bytes\": 3, \"total_bytes\": 2}}",
      "{\"pioreactor_unit\": \"w1\", \"at\": \"t\", \"interval_seconds\": 60, \"disk\": {\"path\": \"/\", \"free_bytes\": -1, \"total_bytes\": 2}}",
      "{\"pioreactor_unit\": \"w1\", \"at\": \"t\", \"interval_seconds\": 60, \"disk\": {\"path\": \"/\", \"free_bytes\": 1, \"total_bytes\": 2}, \"cpu_temperature_c\": \"hot\"}",
      "{\"pioreactor_unit\": \"w1\", \"at\": \"t\", \"interval_seconds\": 60, \"disk\": {\"path\": \"/\", \"free_bytes\": 1, \"total_bytes\": 2}, \"config_version\": \"nope\"}",
      "{\"pioreactor_unit\": \"w1\", \"at\": \"t\", \"interval_seconds\": 60, \"disk\": {\"path\": \"/\", \"free_bytes\": 1, \"total_bytes\": 2}, \"self_test\": {\"passed\": [1]}}"})
  @DisplayName("a health that is not the shape is refused as malformed")
  void malformedRefused(String text) {
    assertThatThrownBy(() -> UnitHealth.fromBuffer(Buffer.buffer(text))).isInstanceOf(MalformedMessageException.class);
  }

  @Test
  @DisplayName("a self test of more than 64 names is refused")
  void selfTestBounded() {
    List<String> many = java.util.stream.IntStream.range(0, 65).mapToObj(i -> "test_" + i).toList();
    assertThatThrownBy(() -> new UnitHealth.SelfTest("t", many, List.of())).isInstanceOf(MalformedMessageException.class);
  }

  @Test
  @DisplayName("the health topic is the unit's monitor attribute, and is recognised as health only there")
  void topic() {
    assertThat(Topics.health("worker1")).isEqualTo(Topics.monitor("worker1", Topics.HEALTH));
    assertThat(Topic.parse(Topics.health("worker1")).orElseThrow().isHealth()).isTrue();
    assertThat(Topic.parse(Topics.configStatus("worker1")).orElseThrow().isHealth()).isFalse();
    assertThat(Topic.parse(Topics.job("worker1", "exp", "monitor", Topics.HEALTH)).orElseThrow().isHealth()).isFalse();
    assertThat(PublishRules.unitMayPublish("worker1", Topics.health("worker1"))).isTrue();
    assertThat(PublishRules.unitMayPublish("worker2", Topics.health("worker1"))).isFalse();
  }
}
