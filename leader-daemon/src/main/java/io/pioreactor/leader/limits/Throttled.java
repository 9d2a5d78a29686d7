package io.pioreactor.leader.limits;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * What was refused for being too much, counted per key and logged at most once a minute per key, and at most
 * {@link #LINES_PER_MINUTE} lines a minute in all, so a flood of refusals (under ever new keys) cannot itself flood
 * the log. Keys and details come from the network: cut short and with control characters shown escaped, so no one
 * writes a line of their own into the log. Bounded like {@link TokenBuckets}. Thread-safe.
 */
public final class Throttled {
  private static final long EVERY_NS = 60_000_000_000L;
  private static final int MAX_KEYS = 1_024;
  static final int LINES_PER_MINUTE = 30;
  static final int MAX_KEY = 96;
  static final int MAX_DETAIL = 240;
  private final Logger log;
  private final String what;
  private final Map<String, long[]> seen = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
      return size() > MAX_KEYS;
    }
  };
  private final TokenBuckets lines = new TokenBuckets(LINES_PER_MINUTE / 60.0, LINES_PER_MINUTE, 1);
  private long heldBack;

  /** {@code what}: the sentence after the key, e.g. "published faster than its limit; dropped". */
  public Throttled(Logger log, String what) {
    this.log = log;
    this.what = what;
  }

  /** Counts one refusal for {@code key} and logs "key what N (detail)" when a minute has passed since the last line. */
  public synchronized void refused(String key, String detail) {
    long now = System.nanoTime();
    String k = printable(key, MAX_KEY);
    long[] s = seen.computeIfAbsent(k, x -> new long[] {0, now - EVERY_NS});
    s[0]++;
    if (now - s[1] < EVERY_NS) {
      return;
    }
    if (!lines.tryTake("")) {
      heldBack++;
      return; // counted on: this key reports its total when a line is free again
    }
    String more = heldBack == 0 ? "" : "; " + heldBack + " more refusals of this kind held back";
    log.warn("{} {} {} since the last report ({}{})", k, what, s[0], printable(detail, MAX_DETAIL), more);
    heldBack = 0;
    s[0] = 0;
    s[1] = now;
  }

  /**
   * {@code text} at most {@code max} characters, control characters as {@code \\uXXXX}: how untrusted text (a name, a
   * topic, a value someone sent) is quoted in logs and error messages, everywhere.
   */
  public static String printable(String text, int max) {
    if (text == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder(Math.min(text.length(), max) + 8);
    for (int i = 0; i < text.length(); i++) {
      if (b.length() >= max) {
        return b.append('…').toString();
      }
      char c = text.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
