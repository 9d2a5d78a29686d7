package io.pioreactor.worker.system;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the configured reboot command (an argument list, never a shell, nothing from the request in it),
 * at most once per 15 s like upstream.
 */
public final class Rebooter {
  private static final Logger LOG = LoggerFactory.getLogger(Rebooter.class);
  static final long MIN_INTERVAL_MS = 15_000;

  private final Vertx vertx;
  private final List<String> command;
  private long lastMs = Long.MIN_VALUE / 2;

  public Rebooter(Vertx vertx, List<String> command) {
    this.vertx = vertx;
    this.command = List.copyOf(command);
  }

  /** Fails with a reason when rate limited; otherwise starts the command off the event loop. */
  public Future<Void> reboot() {
    long now = System.currentTimeMillis();
    long wait = lastMs + MIN_INTERVAL_MS - now;
    if (wait > 0) {
      return Future.failedFuture("rate limited: try again in " + (wait + 999) / 1000 + " s");
    }
    lastMs = now;
    LOG.warn("rebooting: running {}", command);
    vertx.executeBlocking(() -> new ProcessBuilder(command).inheritIO().start())
        .onFailure(err -> LOG.error("reboot command {} failed to start: {}", command, err.getMessage()));
    return Future.succeededFuture();
  }
}
