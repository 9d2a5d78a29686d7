package io.pioreactor.protocol.daemon;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.threadchecker.BlockedThreadEvent;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon whose event loop is stuck serves nothing yet looks alive to systemd, so {@code Restart=on-failure} never
 * fires. This hooks Vert.x's own blocked-thread checker: it logs a blocked event loop as Vert.x does, and once one has
 * been blocked past the limit ({@code -Dpioreactor.event_loop_limit_ms}, default 20 s) it prints the thread's stack and
 * halts the process with status {@value #EXIT_STATUS}. Worker threads (blocking work by design) are only logged.
 */
public final class EventLoopWatchdog {
  private static final Logger LOG = LoggerFactory.getLogger(EventLoopWatchdog.class);
  public static final int EXIT_STATUS = 70;
  public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(20);
  private static final long WARN_EVERY_NS = 5_000_000_000L;

  private EventLoopWatchdog() {}

  /** The daemons' watchdog: halt on a stuck event loop. */
  static void watch(Vertx vertx, String name) {
    watch(vertx, limit(), event -> {
      System.err.println(name + ": event loop " + event.thread().getName() + " blocked for " + event.duration() / 1_000_000
          + " ms; exiting (" + EXIT_STATUS + ") so the service manager restarts this daemon");
      for (StackTraceElement e : event.thread().getStackTrace()) {
        System.err.println("\tat " + e);
      }
      Runtime.getRuntime().halt(EXIT_STATUS); // not exit(): shutdown hooks would wait on the stuck loop
    });
  }

  /** {@code onStuck} runs (on the checker's thread) when an event loop has been blocked longer than {@code limit}. */
  public static void watch(Vertx vertx, Duration limit, Consumer<BlockedThreadEvent> onStuck) {
    long limitNs = limit.toNanos();
    long[] lastWarning = {System.nanoTime() - WARN_EVERY_NS};
    ((VertxInternal) vertx).blockedThreadChecker().setThreadBlockedHandler(event -> {
      boolean eventLoop = event.thread().getName().startsWith("vert.x-eventloop-thread");
      if (eventLoop && event.duration() > limitNs) {
        onStuck.accept(event);
        return;
      }
      long now = System.nanoTime();
      if (now - lastWarning[0] >= WARN_EVERY_NS) {
        lastWarning[0] = now;
        LOG.warn("{} blocked for {} ms (limit {} ms{})", event.thread().getName(), event.duration() / 1_000_000,
            event.maxExecTime() / 1_000_000, eventLoop ? "; the daemon exits at " + limit.toMillis() + " ms" : "");
      }
    });
  }

  private static Duration limit() {
    String ms = System.getProperty("pioreactor.event_loop_limit_ms");
    try {
      return ms == null ? DEFAULT_LIMIT : Duration.ofMillis(Math.max(1_000, Long.parseLong(ms)));
    } catch (NumberFormatException e) {
      return DEFAULT_LIMIT;
    }
  }
}
