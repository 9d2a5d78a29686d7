package io.pioreactor.protocol.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StuckDaemonExitsTest {

  @Test
  @DisplayName("a daemon whose event loop is stuck exits with status 70 and the stuck thread's stack, so systemd restarts it")
  void stuckDaemonExits() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(List.of(java, "-Dpioreactor.event_loop_limit_ms=1000", "-cp",
        System.getProperty("java.class.path"), StuckDaemon.class.getName())).redirectErrorStream(true).start();
    boolean exited = p.waitFor(30, TimeUnit.SECONDS);
    if (!exited) {
      p.destroyForcibly();
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(exited).as("exited within 30 s; its output:\n" + out).isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(EventLoopWatchdog.EXIT_STATUS);
    assertThat(out).contains("blocked for").contains("StuckDaemon");
  }
}
