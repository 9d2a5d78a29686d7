package io.pioreactor.protocol.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EventLoopWatchdogTest {

  @Test
  @DisplayName("an event loop blocked past the limit is reported with its thread (the daemons halt on it)")
  void blockedLoopIsCaught() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setBlockedThreadCheckInterval(100).setMaxEventLoopExecuteTime(200)
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
    try {
      CompletableFuture<String> stuck = new CompletableFuture<>();
      EventLoopWatchdog.watch(vertx, Duration.ofMillis(600), e -> stuck.complete(e.thread().getName()));
      vertx.runOnContext(v -> {
        long until = System.nanoTime() + 3_000_000_000L;
        while (!stuck.isDone() && System.nanoTime() < until) {
          Thread.onSpinWait(); // a handler that never yields: what the watchdog is for
        }
      });
      assertThat(stuck.get(5, TimeUnit.SECONDS)).startsWith("vert.x-eventloop-thread");
    } finally {
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("an event loop busy for less than the limit is only logged")
  void shortBlockIsTolerated() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setBlockedThreadCheckInterval(100).setMaxEventLoopExecuteTime(100)
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
    try {
      CompletableFuture<String> stuck = new CompletableFuture<>();
      EventLoopWatchdog.watch(vertx, Duration.ofSeconds(5), e -> stuck.complete(e.thread().getName()));
      CompletableFuture<Void> done = new CompletableFuture<>();
      vertx.runOnContext(v -> {
        long until = System.nanoTime() + 600_000_000L;
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
        done.complete(null);
      });
      done.get(5, TimeUnit.SECONDS);
      assertThat(stuck).isNotDone();
    } finally {
      vertx.close().await();
    }
  }
}
