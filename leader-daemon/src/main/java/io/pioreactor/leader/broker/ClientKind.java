package io.pioreactor.leader.broker;

import io.pioreactor.protocol.Names;
import java.util.List;
import javax.security.auth.Subject;
import org.apache.activemq.artemis.spi.core.security.jaas.RolePrincipal;

/**
 * What a client of the embedded broker is, decided in one place. {@link #LEADER}: this leader's own session (an
 * in-process credential); {@link #ADMIN}: {@code broker.admin_users} (and the leader's user name from the password
 * file); {@link #UNIT}: a user named like a unit; {@link #READER}: anyone else (the web user, anonymous clients).
 */
enum ClientKind {
  LEADER, ADMIN, UNIT, READER;

  /** The kind a user name makes, before its password is checked: never {@link #LEADER}, which only the password tells. */
  static ClientKind byName(String user, List<String> adminUsers) {
    if (user == null) {
      return READER;
    }
    if (user.equals(BrokerSettings.LEADER_USER) || adminUsers.contains(user)) {
      return ADMIN;
    }
    return Names.unitNameProblem(user).isEmpty() ? UNIT : READER;
  }

  boolean privileged() {
    return this == LEADER || this == ADMIN;
  }

  /** The kind kept in an authenticated client's Subject (as a role), or null before authentication. */
  static ClientKind of(Subject subject) {
    if (subject == null) {
      return null;
    }
    for (RolePrincipal r : subject.getPrincipals(RolePrincipal.class)) {
      try {
        return valueOf(r.getName());
      } catch (IllegalArgumentException e) {
        // not ours
      }
    }
    return null;
  }
}
