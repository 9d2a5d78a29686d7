package io.pioreactor.bench;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;

/** p50/p99/max of a list of durations in nanoseconds, reported in milliseconds. */
public record Percentiles(int samples, double p50Ms, double p99Ms, double maxMs) {

  public static Percentiles of(List<Long> nanos) {
    long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    return new Percentiles(sorted.length, ms(at(sorted, 0.50)), ms(at(sorted, 0.99)), ms(sorted[sorted.length - 1]));
  }

  private static long at(long[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static double ms(long nanos) {
    return nanos / 1_000_000.0;
  }

  public JsonObject toJson() {
    return new JsonObject().put("samples", samples).put("p50_ms", p50Ms).put("p99_ms", p99Ms).put("max_ms", maxMs);
  }
}
