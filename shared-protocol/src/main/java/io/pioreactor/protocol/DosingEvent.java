package io.pioreactor.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Upstream's {@code DosingEvent} on {@link Topics#dosingEvents}: a pump moved {@code volume_change} ml
 * ({@code event}: which pump; {@code source_of_event}: who ran it, e.g. {@code add_media} or
 * {@code dosing_automation:chemostat}; null when unknown, as upstream allows), at {@code timestamp}.
 * {@code {"volume_change": 0.5, "event": "add_media", "source_of_event": "add_media", "timestamp": "2026-01-01T00:00:00Z"}}.
 * A record that does not hold upstream's rules cannot be made: the constructor throws {@link MalformedMessageException}.
 * Fields upstream may add later are ignored when read, as upstream's structs ignore them.
 */
public record DosingEvent(double volumeChange, String event, String sourceOfEvent, String timestamp) {
  /** The pumps: what {@code event} says. */
  public static final List<String> EVENTS = List.of(Jobs.ADD_MEDIA, Jobs.REMOVE_WASTE, Jobs.ADD_ALT_MEDIA);
  public static final int MAX_SOURCE = 128;

  public DosingEvent {
    // Negative is allowed: upstream corrects a run reported too high with a negative event.
    EventFields.finite("volume_change", volumeChange);
    if (event == null || !EVENTS.contains(event)) {
      throw new MalformedMessageException("'event' must be one of " + EVENTS);
    }
    EventFields.optionalText("source_of_event", sourceOfEvent, MAX_SOURCE);
    EventFields.timestamp("timestamp", timestamp);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("volume_change", volumeChange)
        .put("event", event)
        .put("source_of_event", sourceOfEvent)
        .put("timestamp", timestamp);
  }

  public Buffer toBuffer() {
    return toJson().toBuffer();
  }

  /** Throws MalformedMessageException for a wrong shape or a value out of bounds. */
  public static DosingEvent fromJson(JsonObject o) {
    return new DosingEvent(EventFields.number(o, "volume_change"), Json.requiredString(o, "event"),
        Json.optionalString(o, "source_of_event"), Json.requiredString(o, "timestamp"));
  }

  public static DosingEvent fromBuffer(Buffer b) {
    return fromJson(Json.object(b));
  }
}
