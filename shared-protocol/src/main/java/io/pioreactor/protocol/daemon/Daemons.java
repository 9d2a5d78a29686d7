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
    void restart();
  }

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
    Vertx vertx = Vertx.vertx();
    Path file = args.length == 2 ? Path.of(args[1]) : null;
    Restart restart = new Restart() {
      @Override
      public Path configFile() {
        return file;
      }

      @Override
      public void restart() {
        new Thread(() -> {
          try {
            vertx.undeploy(id.get()).await(20, TimeUnit.SECONDS);
            id.set(vertx.deployVerticle(verticle.apply(readConfig(name, args), this)).await());
            System.err.println(name + ": restarted with its config re-read");
          } catch (Exception e) {
            System.err.println(name + ": restart failed (" + e.getMessage() + "); exiting so the service manager restarts it");
            System.exit(1);
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
