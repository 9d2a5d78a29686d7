package io.pioreactor.protocol;

import java.util.Optional;
import java.util.Set;

/**
 * MQTT client IDs, built in one place and bound to identities: {@code <unit>-<role>}, where the role is {@code worker}
 * (the worker daemon's session), a job's name (each job has a session of its own, for its last will) or
 * {@code leader}. Roles never contain {@code -}, so the owner is everything before the last {@code -}, even for units
 * whose names contain hyphens. The embedded broker lets a unit's credentials use only its own IDs, and nobody but the
 * leader use a leader's, so no client can take over another's session.
 */
public final class ClientIds {
  public static final String WORKER = "worker";
  public static final String LEADER = "leader";
  /** Longer IDs are refused (but the leader's): an ID is kept by the broker for the whole session. */
  public static final int MAX_LENGTH = 128;
  private static final Set<String> RESERVED_ROLES;

  static {
    var roles = new java.util.HashSet<>(Jobs.WORKER_JOBS);
    roles.add(WORKER);
    roles.add(LEADER);
    RESERVED_ROLES = Set.copyOf(roles);
  }

  private ClientIds() {}

  public static String worker(String unit) {
    return unit + "-" + WORKER;
  }

  public static String job(String unit, String job) {
    return unit + "-" + job;
  }

  public static String leader(String unit) {
    return unit + "-" + LEADER;
  }

  /** The unit a client ID names as its owner ({@code a-b} for {@code a-b-worker}), or empty when it has no {@code -}. */
  public static Optional<String> owner(String clientId) {
    int dash = clientId == null ? -1 : clientId.lastIndexOf('-');
    return dash <= 0 ? Optional.empty() : Optional.of(clientId.substring(0, dash));
  }

  private static String role(String clientId) {
    return clientId.substring(clientId.lastIndexOf('-') + 1);
  }

  /**
   * Whether a client may connect with {@code clientId}. {@code user}: who it authenticated as (null: anonymous);
   * {@code admin}: the leader. A unit's credentials ({@code unitUser}: its name) may use only {@code <unit>-<role>}, never
   * the leader's role; anybody else (browsers, read-only tools, anonymous) may use any ID that is not shaped like one
   * of ours, so {@code mosquitto_sub}'s and browsers' random IDs keep working.
   */
  public static Optional<String> refusal(String user, boolean admin, boolean unitUser, String clientId) {
    if (admin) {
      return Optional.empty();
    }
    if (clientId == null || clientId.isEmpty()) {
      // MQTT lets a client with a clean session leave its ID to the broker (mosquitto_sub without -i does): fine for
      // readers, who may use any ID; a unit names itself.
      return unitUser ? Optional.of("a client ID is required: " + user + "-<role>") : Optional.empty();
    }
    if (clientId.length() > MAX_LENGTH) {
      return Optional.of("a client ID has at most " + MAX_LENGTH + " characters");
    }
    Optional<String> owner = owner(clientId);
    if (unitUser) {
      if (owner.isEmpty() || !owner.get().equals(user)) {
        return Optional.of("unit " + user + " may only use client IDs " + user + "-<role>");
      }
      if (LEADER.equals(role(clientId))) {
        return Optional.of("the role 'leader' is the leader's");
      }
      return Optional.empty();
    }
    if (owner.isPresent() && RESERVED_ROLES.contains(role(clientId)) && Names.unitNameProblem(owner.get()).isEmpty()) {
      return Optional.of(clientId + " is a unit's or the leader's client ID");
    }
    return Optional.empty();
  }
}
