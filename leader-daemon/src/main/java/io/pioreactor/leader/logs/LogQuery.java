package io.pioreactor.leader.logs;

import java.util.List;

/**
 * What {@code GET /api/logs} (and so {@code pio logs}) asks of the stored lines; each filter may be null. Newest first,
 * paged by {@code beforeId} (lines older than that id) or {@code skip}; with {@code afterId}, the lines that came after
 * that id, oldest first, which is what a follower asks for.
 *
 * @param levels the levels kept (from {@link io.pioreactor.protocol.LogMessage#levelsFrom}); null keeps every line
 */
public record LogQuery(String unit, String experiment, List<String> levels, Long beforeId, Long afterId, int skip, int limit) {
  public LogQuery {
    if (beforeId != null && afterId != null) {
      throw new IllegalArgumentException("before_id and after_id together");
    }
    levels = levels == null ? null : List.copyOf(levels);
  }

  boolean following() {
    return afterId != null;
  }
}
