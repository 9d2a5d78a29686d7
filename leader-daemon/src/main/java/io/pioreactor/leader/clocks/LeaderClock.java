package io.pioreactor.leader.clocks;

import io.pioreactor.leader.api.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets the leader's own clock (upstream's "Update clocks" sends the browser's time) with {@code clocks.leader_set_command}:
 * an argument list, never a shell, with the time as its last argument in a form this class writes itself
 * ({@code 2025-01-31T12:34:56Z}, from a parsed instant: nothing of the request's text). No command configured: the leader's
 * clock is left to chrony, and the time given is only logged.
 */
public final class LeaderClock {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderClock.class);
  static final long MAX_RUN_S = 10;

  private final Vertx vertx;
  private final List<String> command;

  public LeaderClock(Vertx vertx, List<String> command) {
    this.vertx = vertx;
    this.command = List.copyOf(command);
  }

  /** True when the clock was set; false when no command is configured. A failing command is a 502 with its reason. */
  public Future<Boolean> set(Instant time) {
    String arg = time.truncatedTo(ChronoUnit.SECONDS).toString();
    if (command.isEmpty()) {
      LOG.info("asked to set the leader's clock to {} (now {}): no clocks.leader_set_command, so chrony keeps it", arg,
          Instant.now());
      return Future.succeededFuture(false);
    }
    List<String> argv = new ArrayList<>(command);
    argv.add(arg);
    LOG.warn("setting the leader's clock to {}: running {}", arg, argv);
    return vertx.executeBlocking(() -> run(argv), false);
  }

  private static Boolean run(List<String> argv) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw refused("did not start: " + e.getMessage());
    }
    p.getOutputStream().close();
    if (!p.waitFor(MAX_RUN_S, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw refused("did not finish within " + MAX_RUN_S + " s");
    }
    if (p.exitValue() != 0) {
      String err = new String(p.getErrorStream().readNBytes(16 * 1024), StandardCharsets.UTF_8);
      String last = err.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce((a, b) -> b).orElse("");
      throw refused("exited with " + p.exitValue() + (last.isEmpty() ? "" : ": " + last));
    }
    return true;
  }

  private static ApiException refused(String what) {
    return new ApiException(502, "could not set the leader's clock: clocks.leader_set_command " + what, "set the leader's clock",
        "the command the leader's config names for it failed", "check clocks.leader_set_command in the leader's config and its sudo rule");
  }
}
