package io.pioreactor.worker.system;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the configured reboot (or shutdown) command (an argument list, never a shell, nothing from the request in it),
 * at most once per 15 s like upstream.
 */
public final class Rebooter {
  private static final Logger LOG = LoggerFactory.getLogger(Rebooter.class);
  static final long MIN_INTERVAL_MS = 15_000;

  private final Vertx vertx;
  private final List<String> command;
  private final String doing;
  private long lastMs = Long.MIN_VALUE / 2;

  public Rebooter(Vertx vertx, List<String> command) {
    this(vertx, command, "rebooting");
  }

  /** {@code doing}: what the log says ("rebooting", "shutting down"). Each instance has its own rate limit. */
  public Rebooter(Vertx vertx, List<String> command, String doing) {
    this.vertx = vertx;
    this.command = List.copyOf(command);
    this.doing = doing;
  }

  /** Fails with a reason when rate limited; otherwise starts the command off the event loop. */
  public Future<Void> reboot() {
    long now = System.currentTimeMillis();
    long wait = lastMs + MIN_INTERVAL_MS - now;
    if (wait > 0) {
      return Future.failedFuture("rate limited: try again in " + (wait + 999) / 1000 + " s");
    }
    lastMs = now;
    LOG.warn("{}: running {}", doing, command);
    vertx.executeBlocking(() -> new ProcessBuilder(command).inheritIO().start())
        .onFailure(err -> LOG.error("{} command {} failed to start: {}", doing, command, err.getMessage()));
    return Future.succeededFuture();
  }
}
