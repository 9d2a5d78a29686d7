package io.pioreactor.leader.api;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed-in browser sessions: random tokens kept in memory with a sliding 12-hour expiry. A leader restart signs
 * everyone out, which is the safe direction.
 */
final class Sessions {
  static final long TTL_MS = 12 * 3_600_000L;
  private static final int MAX = 1_000;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Long> expiry = new ConcurrentHashMap<>();

  String open() {
    if (expiry.size() >= MAX) {
      long now = System.currentTimeMillis();
      expiry.values().removeIf(t -> t < now);
    }
    byte[] b = new byte[32];
    random.nextBytes(b);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    expiry.put(token, System.currentTimeMillis() + TTL_MS);
    return token;
  }

  boolean valid(String token) {
    Long until = expiry.get(token);
    long now = System.currentTimeMillis();
    if (until == null || until < now) {
      expiry.remove(token);
      return false;
    }
    expiry.put(token, now + TTL_MS);
    return true;
  }

  void close(String token) {
    expiry.remove(token);
  }
}
