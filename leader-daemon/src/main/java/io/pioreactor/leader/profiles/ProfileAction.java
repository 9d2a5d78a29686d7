package io.pioreactor.leader.profiles;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** One timed action of a profile; {@code unit} is null for the {@code common} block. */
public record ProfileAction(String unit, String job, Type type, long atMillis, JsonObject options, List<String> args, int line) {

  public enum Type {
    START, STOP, PAUSE, RESUME, UPDATE, LOG;

    public String wire() {
      return name().toLowerCase();
    }
  }

  public boolean isCommon() {
    return unit == null;
  }

  public JsonObject toJson() {
    return new JsonObject().put("t_seconds", atMillis / 1000.0).put("target", isCommon() ? "common" : unit)
        .put("job", job).put("type", type.wire()).put("options", options).put("args", new JsonArray(args)).put("line", line);
  }
}
