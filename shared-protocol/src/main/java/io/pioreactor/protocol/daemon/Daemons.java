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

  /**
   * Reads the config, builds the verticle and deploys it; exits 2 for a bad config and 1 when start-up
   * fails. {@code name} prefixes messages ("leader", "worker").
   */
  public static void run(String name, String[] args, Function<JsonObject, Deployable> verticle) {
    Deployable v;
    try {
      v = verticle.apply(readConfig(name, args));
    } catch (IllegalArgumentException | IOException | DecodeException | ClassCastException e) {
      System.err.println(name + ": " + e.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    String id;
    try {
      id = vertx.deployVerticle(v).await();
    } catch (Exception e) {
      System.err.println(name + ": failed to start: " + e.getMessage());
      vertx.close();
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(name, vertx, id), name + "-shutdown"));
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
