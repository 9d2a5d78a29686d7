package io.pioreactor.protocol.daemon;

import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** What both daemons' {@code main} does: read {@code --config FILE}, deploy, and stop cleanly on SIGTERM. */
public final class Daemons {
  private Daemons() {}

  /** What a daemon gets to restart itself in-process with its config file re-read (a worker after a rename). */
  public interface Restart {
    /** The config file the daemon was started with, or null. */
    Path configFile();

    /** Undeploys, re-reads the config file and deploys again, on a thread of its own. */
    default void restart() {
      restart(null);
    }

    /**
     * As {@link #restart()}, one at a time (a call while one is under way is refused and logged). When the deployment
     * with the re-read config fails or does not come up within {@link #RESTART_WAIT}, {@code rollback} runs (it puts
     * the previous config file back) and the daemon deploys again with that; only if that fails too does it exit,
     * so the service manager restarts it.
     */
    void restart(Runnable rollback);
  }

  static final java.time.Duration RESTART_WAIT = java.time.Duration.ofSeconds(30);

  public static void run(String name, String[] args, Function<JsonObject, Deployable> verticle) {
    run(name, args, (json, restart) -> verticle.apply(json));
  }

  /**
   * Reads the config, builds the verticle and deploys it; exits 2 for a bad config and 1 when start-up
   * fails. {@code name} prefixes messages ("leader", "worker").
   */
  public static void run(String name, String[] args, java.util.function.BiFunction<JsonObject, Restart, Deployable> verticle) {
    Deployable v;
    java.util.concurrent.atomic.AtomicReference<String> id = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean restarting = new java.util.concurrent.atomic.AtomicBoolean();
    Vertx vertx = Vertx.vertx();
    EventLoopWatchdog.watch(vertx, name);
    Path file = args.length == 2 ? Path.of(args[1]) : null;
    Restart restart = new Restart() {
      @Override
      public Path configFile() {
        return file;
      }

      @Override
      public void restart(Runnable rollback) {
        if (!restarting.compareAndSet(false, true)) {
          System.err.println(name + ": a restart is already under way; this one is not needed");
          return;
        }
        new Thread(() -> {
          try {
            vertx.undeploy(id.get()).await(20, TimeUnit.SECONDS);
            try {
              id.set(deploy(vertx, verticle.apply(readConfig(name, args), this)));
              System.err.println(name + ": restarted with its config re-read");
            } catch (Exception e) {
              if (rollback == null) {
                throw e;
              }
              System.err.println(name + ": could not start with the new config (" + e.getMessage() + "); going back to the previous one");
              rollback.run();
              id.set(deploy(vertx, verticle.apply(readConfig(name, args), this)));
              System.err.println(name + ": running again with its previous config");
            }
          } catch (Exception e) {
            System.err.println(name + ": restart failed (" + e.getMessage() + "); exiting so the service manager restarts it");
            System.exit(1);
          } finally {
            restarting.set(false);
          }
        }, name + "-restart").start();
      }
    };
    try {
      v = verticle.apply(readConfig(name, args), restart);
    } catch (IllegalArgumentException | IOException | DecodeException | ClassCastException e) {
      System.err.println(name + ": " + e.getMessage());
      vertx.close();
      System.exit(2);
      return;
    }
    try {
      id.set(vertx.deployVerticle(v).await());
    } catch (Exception e) {
      System.err.println(name + ": failed to start: " + e.getMessage());
      vertx.close();
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(name, vertx, id.get()), name + "-shutdown"));
  }

  /** Deploys and waits at most {@link #RESTART_WAIT}; a deployment that comes up later is undeployed again. */
  private static String deploy(Vertx vertx, Deployable verticle) throws Exception {
    var deployed = vertx.deployVerticle(verticle);
    try {
      return deployed.await(RESTART_WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      deployed.onSuccess(vertx::undeploy);
      throw new IllegalStateException("not up within " + RESTART_WAIT.toSeconds() + " s");
    }
  }

  private static void stop(String name, Vertx vertx, String id) {
    // Two separate awaits: a future composed across close() would complete on an event loop that
    // close() has just stopped, and never wake this thread.
    try {
      vertx.undeploy(id).await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println(name + ": unclean stop: " + e.getMessage());
    }
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println(name + ": unclean shutdown: " + e.getMessage());
    }
  }

  static JsonObject readConfig(String name, String[] args) throws IOException {
    if (args.length == 0) {
      return new JsonObject();
    }
    if (args.length != 2 || !"--config".equals(args[0])) {
      throw new IllegalArgumentException("usage: " + name + "-daemon [--config FILE]");
    }
    Path p = Path.of(args[1]);
    if (!Files.isReadable(p)) {
      throw new IllegalArgumentException("cannot read config file " + p);
    }
    return new JsonObject(Files.readString(p));
  }

  /** The machine's short hostname: the default unit name, as upstream. */
  public static String hostname(String fallback) {
    // The kernel's name first: getLocalHost() fails when the name does not resolve (no /etc/hosts entry).
    try {
      String k = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
      if (!k.isEmpty()) {
        int dot = k.indexOf('.');
        return dot > 0 ? k.substring(0, dot) : k;
      }
    } catch (IOException e) {
      // not Linux: ask Java
    }
    try {
      String h = InetAddress.getLocalHost().getHostName();
      int dot = h.indexOf('.');
      return dot > 0 ? h.substring(0, dot) : h;
    } catch (IOException e) {
      return fallback;
    }
  }
}
