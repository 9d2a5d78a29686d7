package io.pioreactor.leader.limits;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * What was refused for being too much, counted per key and logged at most once a minute per key, so a flood of
 * refusals cannot itself flood the log. Bounded like {@link TokenBuckets}. Thread-safe.
 */
public final class Throttled {
  private static final long EVERY_NS = 60_000_000_000L;
  private static final int MAX_KEYS = 1_024;
  private final Logger log;
  private final String what;
  private final Map<String, long[]> seen = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
      return size() > MAX_KEYS;
    }
  };

  /** {@code what}: the sentence after the key, e.g. "published faster than its limit; dropped". */
  public Throttled(Logger log, String what) {
    this.log = log;
    this.what = what;
  }

  /** Counts one refusal for {@code key} and logs "key what N (detail)" when a minute has passed since the last line. */
  public synchronized void refused(String key, String detail) {
    long now = System.nanoTime();
    long[] s = seen.computeIfAbsent(key, k -> new long[] {0, now - EVERY_NS});
    s[0]++;
    if (now - s[1] >= EVERY_NS) {
      log.warn("{} {} {} since the last report ({})", key, what, s[0], detail);
      s[0] = 0;
      s[1] = now;
    }
  }
}
