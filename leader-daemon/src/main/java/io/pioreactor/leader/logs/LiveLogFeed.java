package io.pioreactor.leader.logs;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * Stored log lines, live: gathered for {@value #PERIOD_MS} ms after the first one comes and then handed on as one event
 * of at most {@value #MAX_LINES} lines ({@link LogLineCoalescer}), so a unit that floods its log costs the event
 * stream four small events a second, not one per line. Call {@link #add} from the context that stores lines.
 */
public final class LiveLogFeed {
  static final long PERIOD_MS = 250;
  static final int MAX_LINES = 200;

  private final Vertx vertx;
  private final Consumer<JsonObject> emit;
  private final LogLineCoalescer pending = new LogLineCoalescer(MAX_LINES);
  private long timer = -1;

  /** {@code emit}: receives each event's data (see {@link LogLineCoalescer#drain}). */
  public LiveLogFeed(Vertx vertx, Consumer<JsonObject> emit) {
    this.vertx = vertx;
    this.emit = emit;
  }

  public void add(JsonObject line) {
    if (pending.add(line)) {
      timer = vertx.setTimer(PERIOD_MS, id -> {
        timer = -1;
        pending.drain().ifPresent(emit);
      });
    }
  }

  /** Stops the timer; lines not yet sent are not sent. */
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
