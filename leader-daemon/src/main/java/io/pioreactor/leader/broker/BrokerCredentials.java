package io.pioreactor.leader.broker;

import io.pioreactor.protocol.auth.PasswordFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/**
 * The units' broker credentials, where the leader owns them: the embedded broker's password file (which it reads
 * again when it changes). With mosquitto the file is mosquitto's, changed by {@code pioreactor-credentials} as root:
 * then nothing here manages anything ({@link #managed()} is false). Blocking file work runs off the event loop.
 */
public final class BrokerCredentials {
  private final Vertx vertx;
  private final Path file;

  /** {@code file}: the embedded broker's password file, or null when the leader does not own the credentials. */
  public BrokerCredentials(Vertx vertx, Path file) {
    this.vertx = vertx;
    this.file = file;
  }

  public boolean managed() {
    return file != null;
  }

  public Future<Boolean> has(String user) {
    return managed() ? vertx.executeBlocking(() -> PasswordFile.read(file).has(user), false) : Future.succeededFuture(false);
  }

  /**
   * Gives {@code to} the password of {@code from} (a unit being renamed keeps its password under its new name).
   * Returns whether anything was written: not when {@code from} has no entry or {@code to} has one already.
   */
  public Future<Boolean> copy(String from, String to) {
    if (!managed()) {
      return Future.succeededFuture(false);
    }
    return vertx.executeBlocking(() -> {
      synchronized (BrokerCredentials.class) {
        PasswordFile f = PasswordFile.read(file);
        if (!f.has(from) || f.has(to)) {
          return false;
        }
        f.copied(from, to).write(file);
        return true;
      }
    }, false);
  }

  public Future<Void> remove(String user) {
    if (!managed()) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      synchronized (BrokerCredentials.class) {
        PasswordFile f = PasswordFile.read(file);
        if (f.has(user)) {
          f.without(user).write(file);
        }
        return null;
      }
    }, false);
  }
}
