package io.pioreactor.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The codecs the leader parses workers' measurements with: upstream's payloads pass, anything else is malformed. */
class EventMessagesTest {
  private static final String TS = "2026-01-01T00:00:00.123456Z";

  @Test
  @DisplayName("a dosing event round-trips with upstream's field names")
  void dosingEventRoundTrips() {
    DosingEvent e = new DosingEvent(0.5, Jobs.ADD_MEDIA, "dosing_automation:chemostat", TS);
    assertThat(e.toJson().fieldNames()).containsExactly("volume_change", "event", "source_of_event", "timestamp");
    assertThat(DosingEvent.fromBuffer(e.toBuffer())).isEqualTo(e);
  }

  @Test
  @DisplayName("a dosing event as upstream's worker sends it is read: null source, negative correction, offset timestamp, an extra field")
  void upstreamDosingEventIsRead() {
    DosingEvent e = DosingEvent.fromBuffer(Buffer.buffer(
        "{\"volume_change\": -0.1, \"event\": \"remove_waste\", \"source_of_event\": null, \"timestamp\": \"2026-01-01T00:00:00+00:00\", \"later\": 1}"));
    assertThat(e).isEqualTo(new DosingEvent(-0.1, Jobs.REMOVE_WASTE, null, "2026-01-01T00:00:00+00:00"));
    assertThat(DosingEvent.fromBuffer(Buffer.buffer(
        "{\"volume_change\": 2, \"event\": \"add_alt_media\", \"source_of_event\": \"CLI\", \"timestamp\": \"" + TS + "\"}")).volumeChange())
        .isEqualTo(2.0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "[]", "{}", "null",
      "{\"event\": \"add_media\", \"source_of_event\": \"x\", \"timestamp\": \"2026-01-01T00:00:00Z\"}",
      "{\"volume_change\": \"0.5\", \"event\": \"add_media\", \"source_of_event\": \"x\", \"timestamp\": \"2026-01-01T00:00:00Z\"}",
      "{\"volume_change\": true, \"event\": \"add_media\", \"source_of_event\": \"x\", \"timestamp\": \"2026-01-01T00:00:00Z\"}",
      "{\"volume_change\": 1e400, \"event\": \"add_media\", \"source_of_event\": \"x\", \"timestamp\": \"2026-01-01T00:00:00Z\"}",
      "{\"volume_change\": 0.5, \"event\": \"drain_everything\", \"source_of_event\": \"x\", \"timestamp\": \"2026-01-01T00:00:00Z\"}",
      "{\"volume_change\": 0.5, \"source_of_event\": \"x\", \"timestamp\": \"2026-01-01T00:00:00Z\"}",
      "{\"volume_change\": 0.5, \"event\": \"add_media\", \"source_of_event\": 3, \"timestamp\": \"2026-01-01T00:00:00Z\"}",
      "{\"volume_change\": 0.5, \"event\": \"add_media\", \"source_of_event\": \"\", \"timestamp\": \"2026-01-01T00:00:00Z\"}",
      "{\"volume_change\": 0.5, \"event\": \"add_media\", \"source_of_event\": \"a\\nb\", \"timestamp\": \"2026-01-01T00:00:00Z\"}",
      "{\"volume_change\": 0.5, \"event\": \"add_media\", \"source_of_event\": \"x\"}",
      "{\"volume_change\": 0.5, \"event\": \"add_media\", \"source_of_event\": \"x\", \"timestamp\": \"2026-01-01T00:00:00\"}",
      "{\"volume_change\": 0.5, \"event\": \"add_media\", \"source_of_event\": \"x\", \"timestamp\": \"yesterday\"}",
      "{\"volume_change\": 0.5, \"event\": \"add_media\", \"source_of_event\": \"x\", \"timestamp\": 1767225600}"})
  @DisplayName("a dosing event without a finite volume, a known pump, a bounded source or a timestamp with its offset is malformed")
  void malformedDosingEvents(String payload) {
    assertThatThrownBy(() -> DosingEvent.fromBuffer(Buffer.buffer(payload))).isInstanceOf(MalformedMessageException.class);
  }

  @Test
  @DisplayName("a dosing event's source has at most MAX_SOURCE characters")
  void dosingEventSourceIsBounded() {
    assertThat(new DosingEvent(1, Jobs.ADD_MEDIA, "s".repeat(DosingEvent.MAX_SOURCE), TS).sourceOfEvent()).hasSize(DosingEvent.MAX_SOURCE);
    assertThatThrownBy(() -> new DosingEvent(1, Jobs.ADD_MEDIA, "s".repeat(DosingEvent.MAX_SOURCE + 1), TS))
        .isInstanceOf(MalformedMessageException.class);
  }

  @Test
  @DisplayName("an LED change event round-trips with upstream's field names")
  void ledChangeEventRoundTrips() {
    LedChangeEvent e = new LedChangeEvent("A", 20.0, "led_intensity", TS);
    assertThat(e.toJson()).isEqualTo(new JsonObject().put("channel", "A").put("intensity", 20.0)
        .put("source_of_event", "led_intensity").put("timestamp", TS));
    assertThat(LedChangeEvent.fromBuffer(e.toBuffer())).isEqualTo(e);
  }

  @Test
  @DisplayName("an LED change event takes the whole 0-100 % range and a null source, as upstream")
  void ledChangeEventBounds() {
    assertThat(LedChangeEvent.fromBuffer(Buffer.buffer("{\"channel\": \"D\", \"intensity\": 100, \"source_of_event\": null, \"timestamp\": \"" + TS + "\"}")))
        .isEqualTo(new LedChangeEvent("D", 100, null, TS));
    assertThat(new LedChangeEvent("B", 0, "button", TS).intensity()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{}", "\"A\"",
      "{\"channel\": \"E\", \"intensity\": 20, \"source_of_event\": \"x\", \"timestamp\": \"2026-01-01T00:00:00Z\"}",
      "{\"channel\": \"a\", \"intensity\": 20, \"source_of_event\": \"x\", \"timestamp\": \"2026-01-01T00:00:00Z\"}",
      "{\"channel\": 1, \"intensity\": 20, \"source_of_event\": \"x\", \"timestamp\": \"2026-01-01T00:00:00Z\"}",
      "{\"intensity\": 20, \"source_of_event\": \"x\", \"timestamp\": \"2026-01-01T00:00:00Z\"}",
      "{\"channel\": \"A\", \"intensity\": 100.5, \"source_of_event\": \"x\", \"timestamp\": \"2026-01-01T00:00:00Z\"}",
      "{\"channel\": \"A\", \"intensity\": -1, \"source_of_event\": \"x\", \"timestamp\": \"2026-01-01T00:00:00Z\"}",
      "{\"channel\": \"A\", \"intensity\": \"20\", \"source_of_event\": \"x\", \"timestamp\": \"2026-01-01T00:00:00Z\"}",
      "{\"channel\": \"A\", \"source_of_event\": \"x\", \"timestamp\": \"2026-01-01T00:00:00Z\"}",
      "{\"channel\": \"A\", \"intensity\": 20, \"source_of_event\": [], \"timestamp\": \"2026-01-01T00:00:00Z\"}",
      "{\"channel\": \"A\", \"intensity\": 20, \"source_of_event\": \"x\", \"timestamp\": \"2026-13-01T00:00:00Z\"}",
      "{\"channel\": \"A\", \"intensity\": 20, \"source_of_event\": \"x\"}"})
  @DisplayName("an LED change event off channels A-D, outside 0-100 %, or without a timestamp with its offset is malformed")
  void malformedLedChangeEvents(String payload) {
    assertThatThrownBy(() -> LedChangeEvent.fromBuffer(Buffer.buffer(payload))).isInstanceOf(MalformedMessageException.class);
  }

  @Test
  @DisplayName("a measured rpm round-trips with upstream's field names")
  void measuredRpmRoundTrips() {
    MeasuredRpm m = new MeasuredRpm(402.3, TS);
    assertThat(m.toJson()).isEqualTo(new JsonObject().put("measured_rpm", 402.3).put("timestamp", TS));
    assertThat(MeasuredRpm.fromBuffer(m.toBuffer())).isEqualTo(m);
    assertThat(MeasuredRpm.fromBuffer(Buffer.buffer("{\"measured_rpm\": 0, \"timestamp\": \"" + TS + "\"}")).measuredRpm()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{}", "400", "{\"measured_rpm\": 400}", "{\"timestamp\": \"2026-01-01T00:00:00Z\"}",
      "{\"measured_rpm\": -1, \"timestamp\": \"2026-01-01T00:00:00Z\"}",
      "{\"measured_rpm\": \"400\", \"timestamp\": \"2026-01-01T00:00:00Z\"}",
      "{\"measured_rpm\": 1e999, \"timestamp\": \"2026-01-01T00:00:00Z\"}",
      "{\"measured_rpm\": 400, \"timestamp\": \"2026-01-01\"}"})
  @DisplayName("a measured rpm that is negative, not a finite number, or without a timestamp with its offset is malformed")
  void malformedMeasuredRpms(String payload) {
    assertThatThrownBy(() -> MeasuredRpm.fromBuffer(Buffer.buffer(payload))).isInstanceOf(MalformedMessageException.class);
  }

  @Test
  @DisplayName("a timestamp longer than any ISO date is malformed before it is parsed")
  void longTimestampsAreRefused() {
    assertThatThrownBy(() -> new MeasuredRpm(1, "2026-01-01T00:00:00." + "1".repeat(EventFields.MAX_TIMESTAMP) + "Z"))
        .isInstanceOf(MalformedMessageException.class);
  }
}
