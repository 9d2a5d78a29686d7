package io.pioreactor.leader.limits;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One token bucket per key (a unit, a client address): {@code ratePerSecond} sustained, {@code burst} at once.
 * The map itself is bounded: past {@code maxKeys} the least recently used key is forgotten (it starts again with a
 * full bucket, which is the lenient direction). Thread-safe: the broker calls it from its own threads.
 */
public final class TokenBuckets {
  private final double ratePerNano;
  private final double burst;
  private final int maxKeys;
  private final LongSupplier clock;
  private final Map<String, double[]> buckets;

  public TokenBuckets(double ratePerSecond, double burst, int maxKeys) {
    this(ratePerSecond, burst, maxKeys, System::nanoTime);
  }

  TokenBuckets(double ratePerSecond, double burst, int maxKeys, LongSupplier clock) {
    if (ratePerSecond <= 0 || burst < 1 || maxKeys < 1) {
      throw new IllegalArgumentException("a rate limit needs a positive rate, a burst of at least 1 and room for a key");
    }
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.maxKeys = maxKeys;
    this.clock = clock;
    this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, double[]> eldest) {
        return size() > TokenBuckets.this.maxKeys;
      }
    };
  }

  /** Takes one token for {@code key}; false when its bucket is empty (the caller drops or delays the request). */
  public synchronized boolean tryTake(String key) {
    long now = clock.getAsLong();
    double[] b = buckets.computeIfAbsent(key, k -> new double[] {burst, now});
    b[0] = Math.min(burst, b[0] + (now - (long) b[1]) * ratePerNano);
    b[1] = now;
    if (b[0] >= 1) {
      b[0] -= 1;
      return true;
    }
    return false;
  }

  /** Seconds until {@code key} has a token again (0 when it has one now). */
  public synchronized double secondsUntilNext(String key) {
    double[] b = buckets.get(key);
    if (b == null) {
      return 0;
    }
    double tokens = Math.min(burst, b[0] + (clock.getAsLong() - (long) b[1]) * ratePerNano);
    return tokens >= 1 ? 0 : (1 - tokens) / ratePerNano / 1e9;
  }

  public synchronized int size() {
    return buckets.size();
  }
}
