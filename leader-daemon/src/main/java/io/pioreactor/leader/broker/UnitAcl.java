package io.pioreactor.leader.broker;

import io.pioreactor.protocol.auth.PasswordFile;
import io.pioreactor.leader.limits.Throttled;
import io.pioreactor.protocol.PublishRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.Subject;
import org.apache.activemq.artemis.core.config.WildcardConfiguration;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTUtil;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager5;
import org.apache.activemq.artemis.spi.core.security.jaas.RolePrincipal;
import org.apache.activemq.artemis.spi.core.security.jaas.UserPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may do what on the embedded broker: the rules of conf/mosquitto/pioreactor.acl, and more than mosquitto can say.
 * <ul>
 *   <li>The leader itself (an in-process credential made at start) and the file's {@code admin_users} may do anything
 *       (though {@link PublishGuard} bounds how fast anyone but the leader makes new topics).</li>
 *   <li>A user named like a unit publishes only what {@link PublishRules} lets a unit publish, under its own name, and
 *       connects only with its own client IDs (checked by {@link PublishGuard} at CONNECT, which also bounds how
 *       much it sends).</li>
 *   <li>Any other user in the password file (the browsers' web user) and, when allowed, anonymous clients read and
 *       publish nothing, and may not use a unit's or the leader's client ID.</li>
 * </ul>
 * The password file is read again when it changes, so new credentials work without a restart. Refusals are logged,
 * throttled. Artemis shows an MQTT topic {@code a/b} as the address {@code a.b}. Artemis caches what a user may
 * publish where for a few seconds (EmbeddedBroker); it signs a session in again for every other check, so a
 * password that has passed its (slow, PBKDF2) check once is remembered here, as a SHA-256 of user and password,
 * until the password file changes.
 */
final class UnitAcl implements ActiveMQSecurityManager5 {
  private static final Logger LOG = LoggerFactory.getLogger(UnitAcl.class);
  private static final WildcardConfiguration WILDCARDS = new WildcardConfiguration();

  private final BrokerSettings settings;
  private final String leaderUser;
  private final byte[] leaderPassword;
  private final Throttled refusedLogins = new Throttled(LOG, "MQTT connections refused:");
  private final Throttled refusedPublishes = new Throttled(LOG, "publishes refused:");
  private final Throttled refusedReads = new Throttled(LOG, "subscriptions refused:");
  /** Users whose password passed the file's check: user to SHA-256(user, NUL, password). Only file users: bounded. */
  private final Map<String, byte[]> verified = new ConcurrentHashMap<>();
  private volatile PasswordFile passwords = PasswordFile.empty();
  private volatile long passwordsModified = Long.MIN_VALUE;
  private volatile long passwordsCheckedNs = Long.MIN_VALUE / 2;

  UnitAcl(BrokerSettings settings, String leaderUser, String leaderPassword) {
    this.settings = settings;
    this.leaderUser = leaderUser;
    this.leaderPassword = leaderPassword.getBytes(StandardCharsets.UTF_8);
    reloadIfChanged(0);
  }

  @Override
  public Subject authenticate(String user, String password, RemotingConnection conn, String securityDomain) {
    ClientKind kind = identify(user, password);
    if (kind == null) {
      String from = conn == null ? "?" : String.valueOf(conn.getRemoteAddress());
      refusedLogins.refused(user == null ? "anonymous" : "user '" + user + "'", "from " + from + ": "
          + (user == null ? "anonymous clients may not connect to this broker" : "wrong user or password"));
      return null;
    }
    Subject s = new Subject();
    s.getPrincipals().add(new UserPrincipal(user == null ? "" : user));
    s.getPrincipals().add(new RolePrincipal(kind.name()));
    return s;
  }

  /** The kind of client these credentials make, or null when they are refused. */
  ClientKind identify(String user, String password) {
    if (user == null) {
      return settings.anonymousRead() ? ClientKind.READER : null;
    }
    if (password == null) {
      return null;
    }
    if (user.equals(leaderUser) && MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8), leaderPassword)) {
      return ClientKind.LEADER;
    }
    reloadIfChanged(1_000_000_000L);
    byte[] digest = digest(user, password);
    byte[] known = verified.get(user);
    if (known == null || !MessageDigest.isEqual(known, digest)) {
      // (a unit whose credentials were written a moment ago is let in: the file is read again first)
      PasswordFile checked = passwords;
      if (!checked.check(user, password)) {
        if (!reloadIfChanged(0) || !(checked = passwords).check(user, password)) {
          return null;
        }
      }
      if (checked == passwords) {
        verified.put(user, digest); // (not when the file changed meanwhile: then it is checked again next time)
      }
    }
    return ClientKind.byName(user, settings.adminUsers());
  }

  private static byte[] digest(String user, String password) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(user.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      return sha.digest(password.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  @Override
  public boolean authorize(Subject subject, Set<Role> roles, CheckType type, String address) {
    ClientKind kind = ClientKind.of(subject);
    if (kind == null) {
      return false;
    }
    if (kind.privileged()) {
      return true;
    }
    String user = userOf(subject);
    if (type != CheckType.SEND) {
      // Subscribing: everything but another unit's configuration (PublishGuard bounds how much). A subscription's
      // check names "address::queue".
      int q = address.indexOf("::");
      String filter = MQTTUtil.getMqttTopicFromCoreAddress(q < 0 ? address : address.substring(0, q), WILDCARDS);
      if (PublishRules.mayRead(kind == ClientKind.UNIT ? user : null, filter)) {
        return true;
      }
      refusedReads.refused(kind == ClientKind.UNIT ? "unit " + user : user.isEmpty() ? "anonymous" : "'" + user + "'",
          "latest: " + filter + " (a unit reads only its own configuration, readers none; a filter may not start with a wildcard)");
      return false;
    }
    String topic = MQTTUtil.getMqttTopicFromCoreAddress(address, WILDCARDS);
    if (kind == ClientKind.READER || !PublishRules.unitMayPublish(user, topic)) {
      refusedPublishes.refused(kind == ClientKind.READER ? (user.isEmpty() ? "anonymous" : "'" + user + "'") : "unit " + user,
          "latest: " + topic + (kind == ClientKind.READER ? " (this user publishes nothing)"
              : " (a unit publishes only its own facts, job states, settings, replies, logs, dosing and LED change events)"));
      return false;
    }
    return true;
  }

  /** Reads the password file again if it changed and was last looked at more than {@code minIntervalNs} ago. */
  private boolean reloadIfChanged(long minIntervalNs) {
    Path file = settings.passwordFile();
    long now = System.nanoTime();
    if (file == null || now - passwordsCheckedNs < minIntervalNs) {
      return false;
    }
    passwordsCheckedNs = now;
    try {
      long modified = Files.getLastModifiedTime(file).toMillis() * 31 + Files.size(file);
      if (modified != passwordsModified) {
        passwords = PasswordFile.read(file);
        verified.clear(); // a changed or removed password is checked against the file again
        passwordsModified = modified;
        LOG.info("broker credentials read from {} ({} users)", file, passwords.users().size());
        return true;
      }
    } catch (IOException e) {
      LOG.warn("cannot read the broker's password file {} ({}); keeping the credentials read before", file, e.getMessage());
    }
    return false;
  }

  static String userOf(Subject subject) {
    return subject == null ? "" : subject.getPrincipals(UserPrincipal.class).stream().map(UserPrincipal::getName).findFirst().orElse("");
  }

  @Override
  public boolean validateUser(String user, String password) {
    return identify(user, password) != null;
  }

  @Override
  public boolean validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType) {
    return identify(user, password) != null;
  }
}
