package io.pioreactor.worker.clock;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steps this unit's clock to the leader's by running the configured {@code clock_sync_command} (an argument list, never
 * a shell, nothing from the request in it; by default {@code sudo chronyc makestep}, chrony following the leader). One
 * run at a time; a run that does not end within {@link #MAX_RUN_S} s is killed and reported.
 */
public final class ClockSync {
  private static final Logger LOG = LoggerFactory.getLogger(ClockSync.class);
  static final long MAX_RUN_S = 20;

  private final Vertx vertx;
  private final List<String> command;
  private boolean running;

  public ClockSync(Vertx vertx, List<String> command) {
    this.vertx = vertx;
    this.command = List.copyOf(command);
  }

  /** Fails with a reason a person can act on: already running, did not start, timed out, or exit code and last stderr line. */
  public Future<Void> sync() {
    if (running) {
      return Future.failedFuture("a clock sync is already running on this unit; try again when it is done");
    }
    running = true;
    LOG.info("syncing the clock: running {}", command);
    return vertx.<Void>executeBlocking(this::run, false)
        .onComplete(ar -> running = false)
        .onSuccess(v -> LOG.info("clock sync: {} succeeded", command))
        .onFailure(err -> LOG.warn("clock sync: {}", err.getMessage()));
  }

  private Void run() throws IOException, InterruptedException {
    // stderr to a file, not a pipe: a chatty command cannot block on a full pipe while this waits for it.
    java.nio.file.Path err = java.nio.file.Files.createTempFile("clock-sync", ".err");
    try {
      Process p;
      try {
        p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
      } catch (IOException e) {
        throw new IOException("the clock sync command " + command + " did not start: " + e.getMessage()
            + " (check clock_sync_command in the worker's config)", e);
      }
      p.getOutputStream().close();
      if (!p.waitFor(MAX_RUN_S, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("the clock sync command " + command + " did not finish within " + MAX_RUN_S + " s (killed)");
      }
      if (p.exitValue() != 0) {
        String last = lastLine(err);
        throw new IOException("the clock sync command " + command + " exited with " + p.exitValue()
            + (last.isEmpty() ? "" : ": " + last));
      }
      return null;
    } finally {
      java.nio.file.Files.deleteIfExists(err);
    }
  }

  /** The last non-blank line the command wrote to stderr (of its last 64 KB; at most 300 characters of it). */
  private static String lastLine(java.nio.file.Path err) throws IOException {
    byte[] all;
    try (var f = new java.io.RandomAccessFile(err.toFile(), "r")) {
      long from = Math.max(0, f.length() - 64 * 1024);
      f.seek(from);
      all = new byte[(int) (f.length() - from)];
      f.readFully(all);
    }
    String last = new String(all, StandardCharsets.UTF_8).lines().map(String::strip).filter(l -> !l.isEmpty())
        .reduce((a, b) -> b).orElse("");
    return last.length() > 300 ? last.substring(0, 300) + "…" : last;
  }
}
