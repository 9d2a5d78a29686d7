package io.pioreactor.worker.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class ClockSyncTest {

  @Test
  @DisplayName("the clock sync command runs as an argument list (no shell)")
  void argumentList(Vertx vertx, @TempDir Path dir) {
    Path marker = dir.resolve("synced $(id)"); // a shell would expand this; an argument list names it literally
    new ClockSync(vertx, List.of("touch", marker.toString())).sync().await();
    assertThat(marker).exists();
  }

  @Test
  @DisplayName("a failing command is reported with its exit code and the last line it wrote to stderr")
  void failure(Vertx vertx) {
    Throwable err = catchThrowable(() -> new ClockSync(vertx,
        List.of("sh", "-c", "echo starting >&2; echo '506 Cannot talk to daemon' >&2; exit 1")).sync().await());
    assertThat(err).hasMessageContaining("exited with 1: 506 Cannot talk to daemon");
  }

  @Test
  @DisplayName("a command that writes much to stderr before failing is still reported (its last line), not stuck on a pipe")
  void chattyFailure(Vertx vertx) {
    Throwable err = catchThrowable(() -> new ClockSync(vertx,
        List.of("sh", "-c", "yes noise | head -c 300000 >&2; echo 'last words' >&2; exit 2")).sync().await());
    assertThat(err).hasMessageContaining("exited with 2: last words");
  }

  @Test
  @DisplayName("a command that does not exist is a failure naming it and the config option")
  void missing(Vertx vertx) {
    Throwable err = catchThrowable(() -> new ClockSync(vertx, List.of("/nonexistent/chronyc", "makestep")).sync().await());
    assertThat(err).hasMessageContaining("did not start").hasMessageContaining("clock_sync_command");
  }

  @Test
  @DisplayName("a second sync while one runs is refused")
  void oneAtATime(Vertx vertx) {
    ClockSync sync = new ClockSync(vertx, List.of("sleep", "0.5"));
    Future<Void> first = sync.sync();
    Throwable second = catchThrowable(() -> sync.sync().await());
    first.await();
    assertThat(second).hasMessageContaining("already running");
  }
}
