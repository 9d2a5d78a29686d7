package io.pioreactor.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Upstream's log payload on {@code pioreactor/<unit>/<exp>/logs/<source>/<level>}. */
public record LogMessage(String message, String task, String source, String level, String timestamp) {

  public Buffer toBuffer() {
    return new JsonObject()
        .put("message", message)
        .put("task", task)
        .put("source", source)
        .put("level", level)
        .put("timestamp", timestamp)
        .toBuffer();
  }

  public static LogMessage fromBuffer(Buffer b) {
    JsonObject o = Json.object(b);
    return new LogMessage(
        Json.requiredString(o, "message"),
        Json.optionalString(o, "task"),
        Json.optionalString(o, "source"),
        Json.optionalString(o, "level"),
        Json.optionalString(o, "timestamp"));
  }
}
