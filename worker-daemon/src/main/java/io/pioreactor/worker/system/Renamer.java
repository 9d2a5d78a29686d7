package io.pioreactor.worker.system;

import io.pioreactor.protocol.Names;
import io.pioreactor.protocol.daemon.Daemons;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renames this worker: writes the new unit name into its config file (atomically) and restarts the daemon
 * in-process under the new name. The machine's hostname is left alone: the unit name is what the cluster uses.
 */
public final class Renamer {
  private static final Logger LOG = LoggerFactory.getLogger(Renamer.class);

  private final Vertx vertx;
  private final Daemons.Restart restart;

  public Renamer(Vertx vertx, Daemons.Restart restart) {
    this.vertx = vertx;
    this.restart = restart;
  }

  /** Fails with IllegalArgumentException (bad name) or IllegalStateException (cannot here) and a reason. */
  public Future<Void> rename(String current, Object requested) {
    if (!(requested instanceof String name)) {
      return Future.failedFuture(new IllegalArgumentException("'new_unit' is required (text)"));
    }
    var problem = Names.unitNameProblem(name);
    if (problem.isPresent()) {
      return Future.failedFuture(new IllegalArgumentException("invalid new name: " + problem.get()));
    }
    if (name.equals(current)) {
      return Future.failedFuture(new IllegalArgumentException(current + " already has that name"));
    }
    if (restart == null || restart.configFile() == null) {
      return Future.failedFuture(new IllegalStateException("this worker was started without a config file, so it cannot "
          + "rename itself: set \"unit\" in its config and restart it, then add it under the new name"));
    }
    Path file = restart.configFile();
    return vertx.executeBlocking(() -> {
      JsonObject json = new JsonObject(Files.readString(file));
      json.put("unit", name);
      Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".worker", ".json");
      Files.writeString(tmp, json.encodePrettily());
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      LOG.warn("renamed {} to {} in {}", current, name, file);
      return null;
    });
  }

  /** After the reply went out: the daemon comes back under its new name. */
  public void restartUnderNewName() {
    restart.restart();
  }
}
