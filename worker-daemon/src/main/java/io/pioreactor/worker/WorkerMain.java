package io.pioreactor.worker;

import io.pioreactor.worker.config.WorkerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** {@code java -jar worker-daemon.jar [--config FILE]}: reads the config, deploys the worker, awaits. */
public final class WorkerMain {
  private WorkerMain() {}

  public static void main(String[] args) {
    WorkerConfig config;
    try {
      config = WorkerConfig.fromJson(readConfig(args), hostname());
    } catch (IllegalArgumentException | IOException | DecodeException | ClassCastException e) {
      System.err.println("worker: " + e.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    String id;
    try {
      id = vertx.deployVerticle(new WorkerVerticle(config, null)).await();
    } catch (Exception e) {
      System.err.println("worker: failed to start: " + e.getMessage());
      vertx.close();
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // Two separate awaits: a future composed across close() would complete on an event loop that
      // close() has just stopped, and never wake this thread.
      try {
        vertx.undeploy(id).await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("worker: unclean stop: " + e.getMessage());
      }
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("worker: unclean shutdown: " + e.getMessage());
      }
    }, "worker-shutdown"));
  }

  static JsonObject readConfig(String[] args) throws IOException {
    if (args.length == 0) {
      return new JsonObject();
    }
    if (args.length != 2 || !"--config".equals(args[0])) {
      throw new IllegalArgumentException("usage: worker-daemon [--config FILE]");
    }
    Path p = Path.of(args[1]);
    if (!Files.isReadable(p)) {
      throw new IllegalArgumentException("cannot read config file " + p);
    }
    return new JsonObject(Files.readString(p));
  }

  static String hostname() {
    try {
      String h = InetAddress.getLocalHost().getHostName();
      int dot = h.indexOf('.');
      return dot > 0 ? h.substring(0, dot) : h;
    } catch (IOException e) {
      return "worker";
    }
  }
}
