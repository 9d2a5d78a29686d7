package io.pioreactor.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * A command from the leader to a unit on {@link Topics#command(String, String)}. The {@code id}
 * comes back in the {@link CommandReply}, so the leader can match answers to requests.
 */
public record CommandRequest(String id, JsonObject args) {
  public CommandRequest {
    args = args == null ? new JsonObject() : args;
  }

  public Buffer toBuffer() {
    return new JsonObject().put("id", id).put("args", args).toBuffer();
  }

  public static CommandRequest fromBuffer(Buffer b) {
    JsonObject o = Json.object(b);
    // args is required, even empty: a stray {"id": …} on stop_jobs must not read as "stop everything".
    return new CommandRequest(Json.requiredString(o, "id"), Json.requiredObject(o, "args"));
  }
}
