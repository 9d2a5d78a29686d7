package io.pioreactor.worker.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class RebooterTest {

  @Test
  @DisplayName("the reboot command runs as an argument list (no shell), at most once per 15 s")
  void rateLimited(Vertx vertx, @TempDir Path dir) throws Exception {
    // A shell would expand this; as an argument list it names a file literally.
    Path marker = dir.resolve("rebooted $(id)");
    Rebooter r = new Rebooter(vertx, List.of("touch", marker.toString()));
    r.reboot().await();
    assertThat(marker).exists();
    Throwable second = failure(r);
    assertThat(second).isNotNull();
    assertThat(second.getMessage()).startsWith("rate limited: try again in");
  }

  @Test
  @DisplayName("a reboot command that does not exist is a failure that names the command, not a success")
  void missingCommand(Vertx vertx) {
    Throwable err = failure(new Rebooter(vertx, List.of("/nonexistent/reboot-now")));
    assertThat(err).isNotNull();
    assertThat(err.getMessage()).contains("did not start").contains("/nonexistent/reboot-now");
  }

  @Test
  @DisplayName("a reboot command that exits non-zero is a failure with its exit code and output")
  void failingCommand(Vertx vertx) {
    Throwable err = failure(new Rebooter(vertx, List.of("sh", "-c", "echo not permitted; exit 3")));
    assertThat(err).isNotNull();
    assertThat(err.getMessage()).contains("exited with 3").contains("not permitted");
  }

  @Test
  @DisplayName("a command still running after the wait (a reboot under way) counts as started")
  void longRunning(Vertx vertx, @TempDir Path dir) {
    assertThat(failure(new Rebooter(vertx, List.of("sleep", "5")))).isNull();
  }

  @Test
  @DisplayName("a reboot that failed is no reboot: the next try is not rate limited")
  void failureIsNotRateLimited(Vertx vertx) {
    Rebooter r = new Rebooter(vertx, List.of("sh", "-c", "exit 1"));
    assertThat(failure(r).getMessage()).contains("exited with 1");
    assertThat(failure(r).getMessage()).as("tried again at once").contains("exited with 1");
  }

  @Test
  @DisplayName("a command still running that writes much more than a pipe holds is not blocked by it")
  void chattyCommandIsDrained(Vertx vertx, @TempDir Path dir) throws Exception {
    Path done = dir.resolve("done");
    // 1 MB of output after the wait, then a marker: a command stuck on a full pipe never writes it.
    Rebooter r = new Rebooter(vertx, List.of("sh", "-c", "sleep 0.5; head -c 1000000 /dev/zero; touch " + done));
    assertThat(failure(r)).isNull();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!Files.exists(done) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(done).exists();
  }

  private static Throwable failure(Rebooter r) {
    return r.reboot().map(v -> (Throwable) null).otherwise(e -> e).await();
  }
}
