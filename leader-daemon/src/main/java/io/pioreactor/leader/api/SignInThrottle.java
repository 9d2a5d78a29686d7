package io.pioreactor.leader.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows down guessing: after {@link #FREE_FAILURES} wrong sign-ins from one client address, each further attempt must
 * wait, twice as long as the last (1 s, 2 s, 4 s … at most {@link #MAX_WAIT_S} s); a right sign-in clears it.
 * Remembers at most {@link #MAX_CLIENTS} addresses (least recently seen forgotten). Logged once per lock-out.
 * Thread-safe.
 */
final class SignInThrottle {
  private static final Logger LOG = LoggerFactory.getLogger(SignInThrottle.class);
  static final int FREE_FAILURES = 5;
  static final long MAX_WAIT_S = 60;
  private static final int MAX_CLIENTS = 10_000;

  private final LongSupplier clockMs;
  /** address → [failures, locked until (ms)] */
  private final Map<String, long[]> clients = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
      return size() > MAX_CLIENTS;
    }
  };

  SignInThrottle() {
    this(System::currentTimeMillis);
  }

  SignInThrottle(LongSupplier clockMs) {
    this.clockMs = clockMs;
  }

  /** Seconds {@code client} must still wait before it may try again (0: it may try now). */
  synchronized long waitSeconds(String client) {
    long[] c = clients.get(client);
    long left = c == null ? 0 : c[1] - clockMs.getAsLong();
    return left <= 0 ? 0 : (left + 999) / 1000;
  }

  synchronized void failed(String client) {
    long[] c = clients.computeIfAbsent(client, k -> new long[2]);
    c[0]++;
    if (c[0] >= FREE_FAILURES) {
      long waitS = Math.min(MAX_WAIT_S, 1L << Math.min(20, c[0] - FREE_FAILURES));
      c[1] = clockMs.getAsLong() + waitS * 1000;
      if (c[0] == FREE_FAILURES || waitS == MAX_WAIT_S && (c[0] - FREE_FAILURES) % 10 == 0) {
        LOG.warn("{} wrong sign-ins from {}: it must now wait {} s between tries", c[0], client, waitS);
      }
    }
  }

  synchronized void succeeded(String client) {
    clients.remove(client);
  }
}
