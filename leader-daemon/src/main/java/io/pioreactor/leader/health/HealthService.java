package io.pioreactor.leader.health;

import io.pioreactor.leader.limits.Throttled;
import io.pioreactor.protocol.MalformedMessageException;
import io.pioreactor.protocol.UnitHealth;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest health of each unit in the inventory, judged by {@link HealthRules}. Only a unit's own topic counts, for
 * that unit only: a health from a unit not in the inventory is ignored (a newcomer publishes one like any worker), and
 * one that names another unit, is too big or is not the shape is ignored and counted in the log (at most once a minute
 * per unit), so what is kept is bounded by the inventory. Each unit's warnings are judged again when its health arrives and every few seconds (a health that stops
 * arriving is itself a warning); a warning that appears or clears is said once as a WARNING line ({@link HealthLog})
 * and the unit's view is announced again.
 */
public final class HealthService {
  private static final Logger LOG = LoggerFactory.getLogger(HealthService.class);
  static final long JUDGE_EVERY_MS = 5_000;

  private record Entry(UnitHealth health, Instant receivedAt, List<HealthWarning> warnings) {}

  private final Vertx vertx;
  private final HealthRules rules;
  private final String leaderUnit;
  private final Predicate<String> inInventory;
  private final Predicate<String> connected;
  private final HealthLog log;
  private final Map<String, Entry> latest = new HashMap<>();
  private final Throttled ignored = new Throttled(LOG, "sent a health the leader does not keep:");
  private Function<String, Optional<Double>> clockOffsets = u -> Optional.empty();
  private Supplier<Optional<Instant>> newestBackup = Optional::empty;
  private Consumer<Set<String>> changed = u -> {};
  private long timer = -1;
  static final long COALESCE_MS = 250;
  private final Set<String> pending = new LinkedHashSet<>();
  private boolean flushScheduled;

  public HealthService(Vertx vertx, HealthThresholds thresholds, String leaderUnit, Predicate<String> inInventory,
                       Predicate<String> connected, HealthLog log) {
    this.vertx = vertx;
    this.rules = new HealthRules(thresholds);
    this.leaderUnit = leaderUnit;
    this.inInventory = inInventory;
    this.connected = connected;
    this.log = log;
  }

  /** The leader's measure of each unit's clock offset in seconds (positive: ahead), where it has one. */
  public HealthService clockOffsets(Function<String, Optional<Double>> offsets) {
    this.clockOffsets = offsets;
    return this;
  }

  /** When the leader's database was last backed up, where known (the leader unit's backup rule). */
  public HealthService newestBackup(Supplier<Optional<Instant>> backup) {
    this.newestBackup = backup;
    return this;
  }

  /** {@code l} hears the units whose health (figures or warnings) changed. */
  public HealthService onChange(Consumer<Set<String>> l) {
    this.changed = l;
    return this;
  }

  public HealthService start() {
    timer = vertx.setPeriodic(JUDGE_EVERY_MS, t -> judgeAll());
    return this;
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** A message on {@code pioreactor/<unit>/$experiment/monitor/health}. */
  public void onMessage(String unit, Buffer payload) {
    if (!inInventory.test(unit)) {
      return; // a worker not added yet (or removed) says how it is, as every worker does: nothing kept, nothing to say
    }
    if (payload.length() == 0) {
      // Its retained health cleared: nothing known now (a stale warning would be about nothing).
      Entry gone = latest.remove(unit);
      if (gone != null) {
        judge(unit, null, null, gone.warnings(), true);
      }
      return;
    }
    UnitHealth h;
    try {
      h = UnitHealth.fromBuffer(payload);
    } catch (MalformedMessageException e) {
      ignored.refused(unit, e.getMessage());
      return;
    }
    if (!h.unit().equals(unit)) {
      ignored.refused(unit, "it names another unit (" + h.unit() + ")");
      return;
    }
    Entry before = latest.get(unit);
    judge(unit, h, Instant.now(), before == null ? List.of() : before.warnings(), true);
  }

  /** The unit's health for its view: the figures it sent, when, and the warnings; null when none is known. */
  public JsonObject view(String unit) {
    Entry e = latest.get(unit);
    List<HealthWarning> ws = e == null ? warningsWithoutHealth(unit) : e.warnings();
    if (e == null && ws.isEmpty()) {
      return null;
    }
    JsonObject o = e == null ? new JsonObject() : e.health().toJson();
    o.remove("pioreactor_unit");
    return o.put("received_at", e == null ? null : e.receivedAt().toString())
        .put("warnings", new JsonArray(ws.stream().map(HealthWarning::toJson).toList()));
  }

  public List<HealthWarning> warnings(String unit) {
    Entry e = latest.get(unit);
    return e == null ? warningsWithoutHealth(unit) : e.warnings();
  }

  private List<HealthWarning> warningsWithoutHealth(String unit) {
    return inInventory.test(unit) || unit.equals(leaderUnit) ? rules.warnings(inputs(unit, null, null), Instant.now()) : List.of();
  }

  /** The leader's warnings while it has no health of its own (leader only, or its worker daemon not up): the backup's. */
  private List<HealthWarning> leaderWithoutHealth = List.of();

  /** Every unit judged again (also every {@link #JUDGE_EVERY_MS}): stale healths, the leader's backup. */
  void judgeAll() {
    Set<String> units = new LinkedHashSet<>(latest.keySet());
    // Units no longer in the inventory are forgotten without a word: the unit went, not the problem.
    units.removeIf(u -> !inInventory.test(u));
    latest.keySet().retainAll(units);
    for (String u : units) {
      Entry e = latest.get(u);
      judge(u, e.health(), e.receivedAt(), e.warnings(), false);
    }
    if (!latest.containsKey(leaderUnit)) {
      // Judged and logged even with no health (a leader-only leader publishes none): a backup that never runs is said.
      List<HealthWarning> now = rules.warnings(inputs(leaderUnit, null, null), Instant.now());
      List<HealthWarning> before = leaderWithoutHealth;
      leaderWithoutHealth = now;
      Set<String> was = checks(before);
      Set<String> is = checks(now);
      now.stream().filter(w -> !was.contains(w.check())).forEach(w -> log.appeared(leaderUnit, w));
      before.stream().filter(w -> !is.contains(w.check())).forEach(w -> log.cleared(leaderUnit, w));
      if (!now.equals(before)) {
        announce(leaderUnit);
      }
    } else {
      leaderWithoutHealth = List.of();
    }
  }

  private HealthRules.Inputs inputs(String unit, UnitHealth h, Instant receivedAt) {
    return new HealthRules.Inputs(h, receivedAt, connected.test(unit), clockOffsets.apply(unit),
        unit.equals(leaderUnit) ? newestBackup.get() : Optional.empty());
  }

  private void judge(String unit, UnitHealth h, Instant receivedAt, List<HealthWarning> before, boolean fresh) {
    List<HealthWarning> now = h == null ? List.of() : rules.warnings(inputs(unit, h, receivedAt), Instant.now());
    if (h != null) {
      latest.put(unit, new Entry(h, receivedAt, now));
    }
    Set<String> was = checks(before);
    Set<String> is = checks(now);
    now.stream().filter(w -> !was.contains(w.check())).forEach(w -> log.appeared(unit, w));
    before.stream().filter(w -> !is.contains(w.check())).forEach(w -> log.cleared(unit, w));
    // A fresh health changes the figures shown; a judgement alone only when the warnings changed.
    if (fresh || !now.equals(before)) {
      announce(unit);
    }
  }

  /** Coalesced: with many units, one announcement (one read of the inventory) for all that changed meanwhile. */
  private void announce(String unit) {
    pending.add(unit);
    if (!flushScheduled) {
      flushScheduled = true;
      vertx.setTimer(COALESCE_MS, t -> {
        flushScheduled = false;
        Set<String> batch = Set.copyOf(pending);
        pending.clear();
        changed.accept(batch);
      });
    }
  }

  private static Set<String> checks(List<HealthWarning> ws) {
    Set<String> s = new LinkedHashSet<>();
    ws.forEach(w -> s.add(w.check()));
    return s;
  }
}
