package io.pioreactor.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Upstream's log payload on {@code pioreactor/<unit>/<exp>/logs/<source>/<level>}. */
public record LogMessage(String message, String task, String source, String level, String timestamp) {
  /** Upstream's levels, lowest first: a minimum level keeps that one and those above it. */
  public static final java.util.List<String> LEVELS = java.util.List.of("DEBUG", "INFO", "NOTICE", "WARNING", "ERROR");

  /**
   * The levels at {@code minLevel} or above (any case), or empty when it is not one of {@link #LEVELS}; upstream's
   * {@code min_level} rule, for the leader's queries and the CLI's check alike.
   */
  public static java.util.Optional<java.util.List<String>> levelsFrom(String minLevel) {
    int from = minLevel == null ? -1 : LEVELS.indexOf(minLevel.toUpperCase(java.util.Locale.ROOT));
    return from < 0 ? java.util.Optional.empty() : java.util.Optional.of(LEVELS.subList(from, LEVELS.size()));
  }

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
