package io.pioreactor.worker.system;

import io.pioreactor.protocol.ClientIds;
import io.pioreactor.protocol.Names;
import io.pioreactor.protocol.daemon.Daemons;
import io.pioreactor.protocol.mqtt.MqttSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renames this worker, atomically: one rename at a time; first it checks that the broker takes the new name's
 * credentials (a unit publishes only under its own name, so they must exist), then it writes the new name (and, when
 * the broker user is the unit name, the new user) into its config file in one move and restarts the daemon in-process.
 * If the daemon does not come up under the new name, the old config file goes back and it runs as before. The
 * machine's hostname is left alone: the unit name is what the cluster uses.
 */
public final class Renamer {
  private static final Logger LOG = LoggerFactory.getLogger(Renamer.class);

  private final Vertx vertx;
  private final Daemons.Restart restart;
  private final Supplier<MqttSettings> broker;
  private String renamingTo;
  private String previousConfig;

  public Renamer(Vertx vertx, Daemons.Restart restart, Supplier<MqttSettings> broker) {
    this.vertx = vertx;
    this.restart = restart;
    this.broker = broker;
  }

  /** Fails with IllegalArgumentException (bad name) or IllegalStateException (cannot now) and a reason. */
  public Future<Void> rename(String current, Object requested) {
    if (!(requested instanceof String name)) {
      return Future.failedFuture(new IllegalArgumentException("'new_unit' is required (text)"));
    }
    var problem = Names.unitNameProblem(name);
    if (problem.isPresent()) {
      return Future.failedFuture(new IllegalArgumentException("invalid new name: " + problem.get()));
    }
    if (name.equalsIgnoreCase(current)) {
      return Future.failedFuture(new IllegalArgumentException(current + " already has that name"));
    }
    if (renamingTo != null) {
      return Future.failedFuture(new IllegalStateException("a rename to " + renamingTo + " is already under way"));
    }
    if (restart == null || restart.configFile() == null) {
      return Future.failedFuture(new IllegalStateException("this worker was started without a config file, so it cannot "
          + "rename itself: set \"unit\" in its config and restart it, then add it under the new name"));
    }
    renamingTo = name;
    Path file = restart.configFile();
    MqttSettings now = broker.get();
    MqttSettings renamed = current.equals(now.username())
        ? new MqttSettings(now.host(), now.port(), name, now.password(), now.keepAliveSeconds()) : now;
    return probe(renamed, name)
        .compose(v -> vertx.<Void>executeBlocking(() -> {
          String before = Files.readString(file);
          JsonObject json = new JsonObject(before);
          json.put("unit", name);
          if (renamed != now) {
            json.getJsonObject("mqtt").put("username", name);
          }
          write(file, json.encodePrettily());
          previousConfig = before;
          LOG.warn("renamed {} to {} in {}", current, name, file);
          return null;
        }))
        .onFailure(err -> renamingTo = null);
  }

  /** After the reply went out: the daemon comes back under its new name, or under its old one if it cannot. */
  public void restartUnderNewName() {
    Path file = restart.configFile();
    String before = previousConfig;
    restart.restart(() -> {
      try {
        write(file, before);
        LOG.warn("the new name did not come up: {} restored", file);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  /**
   * The leader never heard that the new name was taken (the reply could not be sent): the old config comes back and
   * nothing restarts, so the worker stays what the leader thinks it is; the leader's rename fails and may be retried.
   */
  public Future<Void> abandon() {
    Path file = restart.configFile();
    String before = previousConfig;
    return vertx.<Void>executeBlocking(() -> {
      if (before != null) {
        write(file, before);
        LOG.warn("the rename's reply could not reach the leader: {} restored, the name is unchanged", file);
      }
      return null;
    }).onComplete(done -> {
      renamingTo = null;
      previousConfig = null;
    });
  }

  /** Connects once as the renamed unit would; fails with the broker's answer. The session is closed at once. */
  private Future<Void> probe(MqttSettings settings, String name) {
    MqttClientOptions options = new MqttClientOptions().setClientId(ClientIds.worker(name)).setCleanSession(true);
    options.setConnectTimeout(5_000);
    if (settings.username() != null) {
      options.setUsername(settings.username()).setPassword(settings.password());
    }
    MqttClient probe = MqttClient.create(vertx, options);
    return probe.connect(settings.port(), settings.host())
        .timeout(6, TimeUnit.SECONDS)
        .compose(ack -> probe.disconnect())
        .recover(err -> Future.failedFuture(new IllegalStateException("the broker does not take " + name + "'s credentials ("
            + err.getMessage() + "): give " + name + " a broker password first (on the leader: sudo pioreactor-credentials "
            + name + "; with the embedded broker the leader copies them itself)")));
  }

  private static void write(Path file, String content) throws java.io.IOException {
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".worker", ".json");
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
