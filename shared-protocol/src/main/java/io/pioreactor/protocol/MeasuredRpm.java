package io.pioreactor.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Upstream's {@code MeasuredRPM}, the stirring job's retained {@link Topics#MEASURED_RPM} setting:
 * {@code {"measured_rpm": 402.3, "timestamp": "2026-01-01T00:00:00Z"}}, a finite, non-negative speed. The constructor
 * throws {@link MalformedMessageException} for anything else; unknown fields are ignored when read.
 */
public record MeasuredRpm(double measuredRpm, String timestamp) {

  public MeasuredRpm {
    if (EventFields.finite("measured_rpm", measuredRpm) < 0) {
      throw new MalformedMessageException("'measured_rpm' cannot be negative");
    }
    EventFields.timestamp("timestamp", timestamp);
  }

  public JsonObject toJson() {
    return new JsonObject().put("measured_rpm", measuredRpm).put("timestamp", timestamp);
  }

  public Buffer toBuffer() {
    return toJson().toBuffer();
  }

  /** Throws MalformedMessageException for a wrong shape or a value out of bounds. */
  public static MeasuredRpm fromJson(JsonObject o) {
    return new MeasuredRpm(EventFields.number(o, "measured_rpm"), Json.requiredString(o, "timestamp"));
  }

  public static MeasuredRpm fromBuffer(Buffer b) {
    return fromJson(Json.object(b));
  }
}
