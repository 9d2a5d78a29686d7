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
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!Files.exists(marker) && System.nanoTime() < deadline) {
      vertx.timer(20).await();
    }
    assertThat(marker).exists();
    Throwable second = r.reboot().map(v -> (Throwable) null).otherwise(e -> e).await();
    assertThat(second).isNotNull();
    assertThat(second.getMessage()).startsWith("rate limited: try again in");
  }
}
