package io.pioreactor.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Upstream's {@code LEDChangeEvent} on {@link Topics#ledChangeEvents}: LED {@code channel} (A-D) is now at
 * {@code intensity} % (0-100), set by {@code source_of_event} (e.g. {@code led_intensity},
 * {@code led_automation:light_dark_cycle}; null when unknown, as upstream allows), at {@code timestamp}; one message per
 * channel that changed. {@code {"channel": "A", "intensity": 20.0, "source_of_event": "led_intensity", "timestamp": "…"}}.
 * The constructor throws {@link MalformedMessageException} for anything else; unknown fields are ignored when read.
 */
public record LedChangeEvent(String channel, double intensity, String sourceOfEvent, String timestamp) {
  public static final List<String> CHANNELS = List.of("A", "B", "C", "D");
  public static final int MAX_SOURCE = 128;

  public LedChangeEvent {
    if (channel == null || !CHANNELS.contains(channel)) {
      throw new MalformedMessageException("'channel' must be one of " + CHANNELS);
    }
    EventFields.between("intensity", intensity, 0, 100);
    EventFields.optionalText("source_of_event", sourceOfEvent, MAX_SOURCE);
    EventFields.timestamp("timestamp", timestamp);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("channel", channel)
        .put("intensity", intensity)
        .put("source_of_event", sourceOfEvent)
        .put("timestamp", timestamp);
  }

  public Buffer toBuffer() {
    return toJson().toBuffer();
  }

  /** Throws MalformedMessageException for a wrong shape or a value out of bounds. */
  public static LedChangeEvent fromJson(JsonObject o) {
    return new LedChangeEvent(Json.requiredString(o, "channel"), EventFields.number(o, "intensity"),
        Json.optionalString(o, "source_of_event"), Json.requiredString(o, "timestamp"));
  }

  public static LedChangeEvent fromBuffer(Buffer b) {
    return fromJson(Json.object(b));
  }
}
