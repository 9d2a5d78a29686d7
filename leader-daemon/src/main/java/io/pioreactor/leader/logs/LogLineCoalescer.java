package io.pioreactor.leader.logs;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * Stored log lines gathered into one event for the page's live view: at most {@code maxLines} of them, the newest; of
 * older ones only how many were left out and the oldest id among them, so a client that wants every line asks
 * {@code GET /api/logs?after_id=<oldest_dropped_id - 1>}. Memory stays bounded however fast lines come. Not
 * thread-safe: one event-loop context adds and drains.
 */
public final class LogLineCoalescer {
  private final int maxLines;
  private final ArrayDeque<JsonObject> lines = new ArrayDeque<>();
  private long dropped;
  private Long oldestDroppedId;

  public LogLineCoalescer(int maxLines) {
    if (maxLines < 1) {
      throw new IllegalArgumentException("maxLines must be at least 1");
    }
    this.maxLines = maxLines;
  }

  /** Adds a stored line (with its {@code id}); true if it is the first since the last drain (time to schedule one). */
  public boolean add(JsonObject line) {
    boolean first = isEmpty();
    if (lines.size() == maxLines) {
      JsonObject out = lines.poll();
      dropped++;
      if (oldestDroppedId == null) {
        oldestDroppedId = out.getLong("id");
      }
    }
    lines.add(line);
    return first;
  }

  public boolean isEmpty() {
    return lines.isEmpty() && dropped == 0;
  }

  /**
   * The event's data, {@code {lines: [rows oldest first], dropped, oldest_dropped_id}} ({@code oldest_dropped_id} null
   * when none were dropped), and starts afresh; empty when nothing came since the last drain.
   */
  public Optional<JsonObject> drain() {
    if (isEmpty()) {
      return Optional.empty();
    }
    JsonObject event = new JsonObject().put("lines", new JsonArray(new java.util.ArrayList<>(lines)))
        .put("dropped", dropped).put("oldest_dropped_id", oldestDroppedId);
    lines.clear();
    dropped = 0;
    oldestDroppedId = null;
    return Optional.of(event);
  }
}
