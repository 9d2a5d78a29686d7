package io.pioreactor.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pioreactor.protocol.config.Ini;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The cluster configuration's two messages: what the leader sends a unit, and what the unit says it did with it. */
class ConfigMessagesTest {
  private static final String CODE = "[PWM]\n1=stirring\n";
  private static final String V1 = ConfigDelivery.versionOf(CODE);
  private static final String V0 = ConfigDelivery.versionOf("");
  private static final String AT = "2026-12-02T04:47:58.123456Z";

  // ConfigDelivery.

  @Test
  @DisplayName("a configuration delivery round-trips as {version, code, sent_at}")
  void deliveryRoundTrips() {
    ConfigDelivery d = ConfigDelivery.of(CODE, AT);
    assertThat(d.toJson()).isEqualTo(new JsonObject().put("version", V1).put("code", CODE).put("sent_at", AT));
    assertThat(ConfigDelivery.fromBuffer(d.toBuffer())).isEqualTo(d);
  }

  @Test
  @DisplayName("a delivery without sent_at is read, with none")
  void deliveryWithoutSentAt() {
    ConfigDelivery d = ConfigDelivery.fromBuffer(Buffer.buffer("{\"version\": \"" + V1 + "\", \"code\": \"\", \"later\": 1}"));
    assertThat(d.sentAt()).isNull();
    assertThat(d.code()).isEmpty();
  }

  @Test
  @DisplayName("a text's version is the first 12 hex digits of its SHA-256: the same text has the same version on any leader, any run")
  void versionIsStable() {
    assertThat(V0).as("SHA-256 of nothing").isEqualTo("e3b0c44298fc");
    assertThat(ConfigDelivery.versionOf(CODE)).as("sha256sum of the text").isEqualTo("c0578022faec").hasSize(ConfigDelivery.VERSION_LENGTH).matches("[0-9a-f]{12}");
    assertThat(ConfigDelivery.versionOf("[PWM]\n1=media\n")).isNotEqualTo(V1);
    assertThat(ConfigDelivery.versionOf("\u00e9")).as("of the UTF-8 bytes (sha256sum's)").isEqualTo("4a99557e4033");
    assertThat(ConfigDelivery.of(CODE, AT).version()).isEqualTo(V1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "[]", "{}", "null", "\"code\"",
      "{\"code\": \"[s]\"}",
      "{\"version\": \"e3b0c44298fc\"}",
      "{\"version\": \"e3b0c44298fc\", \"code\": null}",
      "{\"version\": \"e3b0c44298fc\", \"code\": 5}",
      "{\"version\": \"e3b0c44298f\", \"code\": \"\"}",
      "{\"version\": \"e3b0c44298fc0\", \"code\": \"\"}",
      "{\"version\": \"E3B0C44298FC\", \"code\": \"\"}",
      "{\"version\": \"g3b0c44298fc\", \"code\": \"\"}",
      "{\"version\": 123456789012, \"code\": \"\"}",
      "{\"version\": \"e3b0c44298fc\", \"code\": \"\", \"sent_at\": 5}"})
  @DisplayName("a delivery without a 12-hex-digit version and a code (a string) is malformed")
  void malformedDeliveries(String payload) {
    assertThatThrownBy(() -> ConfigDelivery.fromBuffer(Buffer.buffer(payload))).isInstanceOf(MalformedMessageException.class);
  }

  @Test
  @DisplayName("a delivery's code is at most Ini.MAX_BYTES long")
  void deliveryIsBounded() {
    assertThat(new ConfigDelivery(V0, "x".repeat(Ini.MAX_BYTES), null).code()).hasSize(Ini.MAX_BYTES);
    assertThatThrownBy(() -> new ConfigDelivery(V0, "x".repeat(Ini.MAX_BYTES + 1), null)).isInstanceOf(MalformedMessageException.class);
  }

  // ConfigStatus.

  @Test
  @DisplayName("an applied status round-trips with its field names, jobs on older versions included")
  void appliedRoundTrips() {
    ConfigStatus s = new ConfigStatus(V1, ConfigStatus.APPLIED, null, V1, AT, Map.of("stirring", V0, "od_reading", V0));
    JsonObject j = s.toJson();
    assertThat(j.fieldNames()).containsExactlyInAnyOrder("version", "status", "reason", "running_version", "at", "jobs_on_older");
    assertThat(j.getJsonObject("jobs_on_older").fieldNames()).as("sorted").containsExactly("od_reading", "stirring");
    assertThat(ConfigStatus.fromBuffer(s.toBuffer())).isEqualTo(s);
  }

  @Test
  @DisplayName("a refused status round-trips with its reason and the version still running")
  void refusedRoundTrips() {
    ConfigStatus s = new ConfigStatus(V1, ConfigStatus.REFUSED, "line 2: [PWM] has channels 1 to 5", V0, AT, null);
    assertThat(s.jobsOnOlder()).isEmpty();
    ConfigStatus back = ConfigStatus.fromBuffer(s.toBuffer());
    assertThat(back).isEqualTo(s);
    assertThat(back.reason()).isEqualTo("line 2: [PWM] has channels 1 to 5");
    assertThat(back.runningVersion()).isEqualTo(V0);
  }

  @Test
  @DisplayName("the smallest status a unit sends is read: version and status")
  void minimalStatus() {
    ConfigStatus s = ConfigStatus.fromBuffer(Buffer.buffer("{\"version\": \"" + V1 + "\", \"status\": \"applied\"}"));
    assertThat(s).isEqualTo(new ConfigStatus(V1, ConfigStatus.APPLIED, null, null, null, Map.of()));
  }

  @Test
  @DisplayName("a long reason is cut, not refused")
  void reasonIsCut() {
    ConfigStatus s = new ConfigStatus(V1, ConfigStatus.REFUSED, "r".repeat(10_000), null, AT, null);
    assertThat(s.reason()).hasSizeLessThan(2_100).startsWith("rrrr");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "[]", "{}", "null",
      "{\"status\": \"applied\"}",
      "{\"version\": \"e3b0c44298fc\"}",
      "{\"version\": \"e3b0c44298f\", \"status\": \"applied\"}",
      "{\"version\": \"e3b0c44298fc\", \"status\": \"done\"}",
      "{\"version\": \"e3b0c44298fc\", \"status\": \"APPLIED\"}",
      "{\"version\": \"e3b0c44298fc\", \"status\": 1}",
      "{\"version\": \"e3b0c44298fc\", \"status\": \"refused\", \"reason\": 5}",
      "{\"version\": \"e3b0c44298fc\", \"status\": \"applied\", \"running_version\": \"old\"}",
      "{\"version\": \"e3b0c44298fc\", \"status\": \"applied\", \"at\": 17}",
      "{\"version\": \"e3b0c44298fc\", \"status\": \"applied\", \"jobs_on_older\": []}",
      "{\"version\": \"e3b0c44298fc\", \"status\": \"applied\", \"jobs_on_older\": {\"stirring\": 5}}",
      "{\"version\": \"e3b0c44298fc\", \"status\": \"applied\", \"jobs_on_older\": {\"Not A Job\": \"e3b0c44298fc\"}}",
      "{\"version\": \"e3b0c44298fc\", \"status\": \"applied\", \"jobs_on_older\": {\"monitor\": \"e3b0c44298fc\"}}",
      "{\"version\": \"e3b0c44298fc\", \"status\": \"applied\", \"jobs_on_older\": {\"stirring\": \"yesterday's\"}}"})
  @DisplayName("a status without a 12-hex-digit version, applied or refused, or with jobs_on_older not mapping job names to versions, is malformed")
  void malformedStatuses(String payload) {
    assertThatThrownBy(() -> ConfigStatus.fromBuffer(Buffer.buffer(payload))).isInstanceOf(MalformedMessageException.class);
  }

  @Test
  @DisplayName("a job that started before the unit had any configuration is named on version none")
  void jobOnNoVersion() {
    ConfigStatus s = new ConfigStatus(V1, ConfigStatus.APPLIED, null, V1, AT, Map.of("stirring", ConfigStatus.NO_VERSION));
    assertThat(ConfigStatus.fromBuffer(s.toBuffer()).jobsOnOlder()).containsEntry("stirring", "none");
  }

  @Test
  @DisplayName("a status names at most 64 jobs on older versions")
  void jobsAreBounded() {
    Map<String, String> jobs = new LinkedHashMap<>();
    for (int i = 0; i < 64; i++) {
      jobs.put("job_" + i, V0);
    }
    assertThat(new ConfigStatus(V1, ConfigStatus.APPLIED, null, null, AT, jobs).jobsOnOlder()).hasSize(64);
    jobs.put("job_64", V0);
    JsonObject tooMany = new JsonObject().put("version", V1).put("status", "applied").put("jobs_on_older", new JsonObject(new LinkedHashMap<>(jobs)));
    assertThatThrownBy(() -> ConfigStatus.fromBuffer(tooMany.toBuffer())).isInstanceOf(MalformedMessageException.class);
  }

  @Test
  @DisplayName("a unit's configuration status is its monitor attribute config, and parses as one")
  void statusTopic() {
    Topic t = Topic.parse(Topics.configStatus("w1")).orElseThrow();
    assertThat(t.isConfigStatus()).isTrue();
    assertThat(t.unit()).isEqualTo("w1");
    assertThat(Topic.parse(Topics.monitorState("w1")).orElseThrow().isConfigStatus()).isFalse();
    assertThat(Topics.unitConfig("w1")).startsWith(Topics.CONFIG_ROOT + "/w1/");
    assertThat(Topic.parse(Topics.unitConfig("w1"))).as("outside pioreactor/#").isEmpty();
  }
}
