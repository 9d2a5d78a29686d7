package io.pioreactor.leader.clocks;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each unit's last measured clock, and the warning of a clock beyond {@code clocks.max_offset_s}: logged once as a
 * WARNING when it appears and once when it clears. Listeners hear of a unit whose shown clock changed (first
 * measurement, warning on or off, or a change of at least {@value #NOTEWORTHY_MS} ms), not of every measurement.
 */
public final class ClockOffsets {
  private static final Logger LOG = LoggerFactory.getLogger(ClockOffsets.class);
  static final double NOTEWORTHY_MS = 100;

  private final double maxOffsetMs;
  private final Map<String, UnitClock> clocks = new HashMap<>();
  private Consumer<String> onChange = u -> {};

  public ClockOffsets(double maxOffsetMs) {
    this.maxOffsetMs = maxOffsetMs;
  }

  public ClockOffsets onChange(Consumer<String> listener) {
    this.onChange = listener;
    return this;
  }

  public double maxOffsetMs() {
    return maxOffsetMs;
  }

  public Optional<UnitClock> get(String unit) {
    return Optional.ofNullable(clocks.get(unit));
  }

  /** The unit's {@code clock} object for the API ({@link UnitClock#toJson}), or null when never measured. */
  public JsonObject json(String unit) {
    UnitClock c = clocks.get(unit);
    return c == null ? null : c.toJson(maxOffsetMs);
  }

  public boolean within(UnitClock c) {
    return Math.abs(c.offsetMs()) <= maxOffsetMs;
  }

  /** The warning for {@code unit}'s clock, if it is beyond the threshold: for the leader's health list. */
  public Optional<String> warning(String unit) {
    UnitClock c = clocks.get(unit);
    return c == null || within(c) ? Optional.empty() : Optional.of(warningText(unit, c));
  }

  private String warningText(String unit, UnitClock c) {
    return String.format(Locale.ROOT, "%s's clock is %s off the leader's (more than %s s): its readings' timestamps are "
        + "off too; Sync clocks (pios sync-clocks), and check chrony on %s", unit, seconds(c.offsetMs()),
        trimmed(maxOffsetMs / 1000), unit);
  }

  void put(String unit, UnitClock c) {
    UnitClock before = clocks.put(unit, c);
    boolean wasWithin = before == null || within(before);
    if (wasWithin && !within(c)) {
      LOG.warn("clock warning appeared: {}", warningText(unit, c));
    } else if (!wasWithin && within(c)) {
      LOG.warn("clock warning cleared: {}'s clock is {} off the leader's", unit, seconds(c.offsetMs()));
    }
    if (before == null || within(before) != within(c) || Math.abs(before.offsetMs() - c.offsetMs()) >= NOTEWORTHY_MS) {
      onChange.accept(unit);
    }
  }

  /** Units no longer in the inventory are forgotten (a cleared warning is logged for them). */
  void retain(Set<String> units) {
    clocks.keySet().removeIf(u -> {
      if (units.contains(u)) {
        return false;
      }
      if (!within(clocks.get(u))) {
        LOG.warn("clock warning cleared: {} left the inventory", u);
      }
      return true;
    });
  }

  /** An offset as people read it: {@code +30.0 s}, {@code -0.002 s}. */
  public static String seconds(double ms) {
    double s = ms / 1000;
    return String.format(Locale.ROOT, Math.abs(s) >= 10 ? "%+.1f s" : "%+.3f s", s);
  }

  private static String trimmed(double s) {
    return s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s);
  }
}
