package io.pioreactor.worker.system;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the configured reboot (or shutdown) command (an argument list, never a shell, nothing from the request in it),
 * at most once per 15 s like upstream. The answer is honest and quick: it fails when the command cannot start or exits
 * non-zero within {@link #EXIT_WAIT_MS} (a missing command, sudo refusing); a command still running then (a reboot under
 * way: systemd is about to stop this daemon) counts as started. A failure after that is logged when it comes.
 */
public final class Rebooter {
  private static final Logger LOG = LoggerFactory.getLogger(Rebooter.class);
  static final long MIN_INTERVAL_MS = 15_000;
  /** Long enough for a command to fail to start or for sudo to refuse; short enough to answer before the reboot. */
  static final long EXIT_WAIT_MS = 300;

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

  /** Fails with a reason when rate limited, when the command does not start, or when it exits non-zero. */
  public Future<Void> reboot() {
    long now = System.currentTimeMillis();
    long wait = lastMs + MIN_INTERVAL_MS - now;
    if (wait > 0) {
      return Future.failedFuture("rate limited: try again in " + (wait + 999) / 1000 + " s");
    }
    long before = lastMs;
    lastMs = now; // at once, so a second request meanwhile is refused
    LOG.warn("{}: running {}", doing, command);
    return vertx.<Void>executeBlocking(this::runAndJudge, false)
        .onFailure(err -> {
          lastMs = before; // nothing happened: the user may try again at once, once the config is fixed
          LOG.error("{}: {}", doing, err.getMessage());
        });
  }

  private Void runAndJudge() throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException("the " + doing.replace("ing", "") + " command " + command + " did not start: " + e.getMessage()
          + " (check reboot_command / shutdown_command in the worker's config)", e);
    }
    p.getOutputStream().close();
    if (!p.waitFor(EXIT_WAIT_MS, TimeUnit.MILLISECONDS)) {
      // Still running: the machine is going down, or the command takes its time; if it fails later, say so then.
      // Its output is read meanwhile (the last part kept), or a chatty command would block on a full pipe.
      Thread drain = new Thread(() -> {
        String tail = lastOutput(p);
        try {
          int code = p.waitFor();
          if (code != 0) {
            LOG.error("{}: the command {} exited with {} after it was reported started{}", doing, command, code,
                tail.isEmpty() ? "" : ": " + tail);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "reboot-output");
      drain.setDaemon(true);
      drain.start();
      return null;
    }
    String out = lastOutput(p);
    if (p.exitValue() != 0) {
      throw new IOException("the command " + command + " exited with " + p.exitValue() + (out.isEmpty() ? "" : ": " + out));
    }
    if (!out.isEmpty()) {
      LOG.info("{}: {}", doing, out);
    }
    return null;
  }

  /** The last 2,000 bytes a command wrote, reading all of it. */
  private static String lastOutput(Process p) {
    byte[] kept = new byte[2_000];
    int length = 0;
    byte[] buf = new byte[8_192];
    try (var in = p.getInputStream()) {
      for (int n; (n = in.read(buf)) > 0; ) {
        if (n >= kept.length) {
          System.arraycopy(buf, n - kept.length, kept, 0, kept.length);
          length = kept.length;
        } else {
          int keep = Math.min(length, kept.length - n);
          System.arraycopy(kept, length - keep, kept, 0, keep);
          System.arraycopy(buf, 0, kept, keep, n);
          length = keep + n;
        }
      }
    } catch (IOException e) {
      // the pipe closed with the process: what was read is what there is
    }
    return new String(kept, 0, length, StandardCharsets.UTF_8).strip();
  }
}
