package io.pioreactor.leader.broker;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.Subject;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager5;
import org.apache.activemq.artemis.spi.core.security.jaas.UserPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The same rules as the mosquitto ACL in conf/: admin users (the leader) may do anything; any other
 * user may read everything but publish only under {@code pioreactor/<its own name>/#}.
 * Artemis shows an MQTT topic {@code a/b} as the address {@code a.b}.
 */
final class UnitAcl implements ActiveMQSecurityManager5 {
  private static final Logger LOG = LoggerFactory.getLogger(UnitAcl.class);
  private static final String RETAIN_PREFIX = "$sys.mqtt.retain.";

  private final PasswordFile passwords;
  private final List<String> admins;
  /** Refusals already logged, so a misbehaving client cannot flood the log. */
  private final Set<String> logged = ConcurrentHashMap.newKeySet();

  UnitAcl(PasswordFile passwords, List<String> admins) {
    this.passwords = passwords;
    this.admins = admins;
  }

  @Override
  public Subject authenticate(String user, String password, RemotingConnection conn, String securityDomain) {
    if (!passwords.check(user, password)) {
      if (logged.add("auth:" + user)) {
        LOG.warn("refused MQTT connection for user '{}' from {}", user, conn == null ? "?" : conn.getRemoteAddress());
      }
      return null;
    }
    Subject s = new Subject();
    s.getPrincipals().add(new UserPrincipal(user));
    return s;
  }

  @Override
  public boolean authorize(Subject subject, Set<Role> roles, CheckType type, String address) {
    String user = userOf(subject);
    if (user == null) {
      return false;
    }
    if (admins.contains(user) || type != CheckType.SEND) {
      return true;
    }
    String topic = address.startsWith(RETAIN_PREFIX) ? address.substring(RETAIN_PREFIX.length()) : address;
    boolean ok = topic.startsWith("pioreactor." + user + ".");
    if (!ok && logged.add("send:" + user + ":" + topic)) {
      LOG.warn("refused publish by '{}' to {} (a unit publishes only under its own topics)", user, topic);
    }
    return ok;
  }

  private static String userOf(Subject subject) {
    if (subject == null) {
      return null;
    }
    return subject.getPrincipals(UserPrincipal.class).stream().map(UserPrincipal::getName).findFirst().orElse(null);
  }

  @Override
  public boolean validateUser(String user, String password) {
    return passwords.check(user, password);
  }

  @Override
  public boolean validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType) {
    return passwords.check(user, password);
  }
}
