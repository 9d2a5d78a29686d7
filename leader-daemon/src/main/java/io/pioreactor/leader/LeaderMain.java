package io.pioreactor.leader;

import io.pioreactor.leader.config.LeaderConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** {@code java -jar leader-daemon.jar [--config FILE]}: reads the config, deploys the leader, awaits. */
public final class LeaderMain {
  private LeaderMain() {}

  public static void main(String[] args) {
    LeaderConfig config;
    try {
      config = LeaderConfig.fromJson(readConfig(args), hostname());
    } catch (IllegalArgumentException | IOException | DecodeException e) {
      System.err.println("leader: " + e.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    String id;
    try {
      id = vertx.deployVerticle(new LeaderVerticle(config)).await();
    } catch (Exception e) {
      System.err.println("leader: failed to start: " + e.getMessage());
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
        System.err.println("leader: unclean stop: " + e.getMessage());
      }
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("leader: unclean shutdown: " + e.getMessage());
      }
    }, "leader-shutdown"));
  }

  static JsonObject readConfig(String[] args) throws IOException {
    for (int i = 0; i < args.length; i++) {
      if ("--config".equals(args[i])) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("--config needs a file");
        }
        Path p = Path.of(args[i + 1]);
        if (!Files.isReadable(p)) {
          throw new IllegalArgumentException("cannot read config file " + p);
        }
        return new JsonObject(Files.readString(p));
      }
      throw new IllegalArgumentException("unknown argument '" + args[i] + "' (usage: leader-daemon [--config FILE])");
    }
    return new JsonObject();
  }

  static String hostname() {
    try {
      String h = InetAddress.getLocalHost().getHostName();
      int dot = h.indexOf('.');
      return dot > 0 ? h.substring(0, dot) : h;
    } catch (IOException e) {
      return "leader";
    }
  }
}
