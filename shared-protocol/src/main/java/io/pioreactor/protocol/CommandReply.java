package io.pioreactor.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * A unit's answer to a {@link CommandRequest}, on {@link Topics#commandReply(String, String)}:
 * {@code ok} with a result, or not ok with an {@code error} a person can read.
 */
public record CommandReply(String id, String unit, boolean ok, String error, JsonObject result) {

  public static CommandReply success(String id, String unit, JsonObject result) {
    return new CommandReply(id, unit, true, null, result);
  }

  public static CommandReply failure(String id, String unit, String error) {
    return new CommandReply(id, unit, false, error, new JsonObject());
  }

  public Buffer toBuffer() {
    JsonObject o = new JsonObject().put("id", id).put("pioreactor_unit", unit).put("ok", ok).put("result", result);
    if (error != null) {
      o.put("error", error);
    }
    return o.toBuffer();
  }

  public static CommandReply fromBuffer(Buffer b) {
    JsonObject o = Json.object(b);
    return new CommandReply(
        Json.requiredString(o, "id"),
        Json.requiredString(o, "pioreactor_unit"),
        Json.bool(o, "ok", false),
        Json.optionalString(o, "error"),
        Json.optionalObject(o, "result"));
  }
}
