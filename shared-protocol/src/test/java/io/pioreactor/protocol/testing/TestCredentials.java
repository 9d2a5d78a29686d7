package io.pioreactor.protocol.testing;

import io.pioreactor.protocol.testing.TestCredentials;
import io.pioreactor.protocol.auth.PasswordFile;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The broker credentials of a test cluster, as an installed one has them: one mosquitto-format password file (read
 * by either broker) with the leader's user, the browsers' read-only user and a password per unit, made on demand.
 */
public final class TestCredentials {
  public static final String LEADER_USER = "pioreactor.leader";
  public static final String WEB_USER = "pioreactor.web";

  public final Path file;
  private final Map<String, String> passwords = new LinkedHashMap<>();
  private PasswordFile written = PasswordFile.empty();

  public TestCredentials(Path file) {
    this.file = file;
    password(LEADER_USER);
    password(WEB_USER);
  }

  /** The user's password, made (and written to the file) the first time it is asked for. */
  public synchronized String password(String user) {
    String pw = passwords.get(user);
    if (pw == null) {
      pw = PasswordFile.newPassword();
      passwords.put(user, pw);
      written = written.withPassword(user, pw);
      try {
        written.write(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return pw;
  }

  /** Gives {@code to} the password of {@code from} (what a rename needs: the unit keeps its password). */
  public synchronized void copy(String from, String to) {
    String pw = password(from);
    passwords.put(to, pw);
    written = written.withPassword(to, pw);
    try {
      written.write(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A worker's {@code mqtt} config block with its own credentials. */
  public JsonObject workerMqtt(String unit, String host, int port, int keepaliveSeconds) {
    JsonObject o = new JsonObject().put("username", unit).put("password", password(unit)).put("keepalive_seconds", keepaliveSeconds);
    if (host != null) {
      o.put("host", host).put("port", port);
    }
    return o;
  }
}
