package io.pioreactor.leader.clocks;

import io.pioreactor.leader.api.ApiException;
import io.pioreactor.leader.cluster.CommandClient;
import io.pioreactor.protocol.ClockExchange;
import io.pioreactor.protocol.CommandReply;
import io.pioreactor.protocol.Protocol;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures units' clocks over the command channel ({@link Protocol#CLOCK}, NTP's four timestamps, the best of a few
 * samples) on a timer, each connected unit of the inventory once per {@code clocks.interval_s}, spread over the interval
 * so 200 units are not asked at once; and on demand. Syncs clocks: each unit runs its own step command
 * ({@link Protocol#SYNC_CLOCK}), then is measured again. One sync at a time.
 */
public final class ClockService {
  private static final Logger LOG = LoggerFactory.getLogger(ClockService.class);
  /** The worker kills a step command after 20 s (ClockSync.MAX_RUN_S); its answer comes within this. */
  static final Duration SYNC_WAIT = Duration.ofSeconds(25);
  /** The first round waits for units to (re)connect after the leader starts. */
  static final long FIRST_ROUND_MS = 3_000;

  private final Vertx vertx;
  private final CommandClient commands;
  private final ClockSettings settings;
  private final ClockOffsets offsets;
  private final Supplier<Future<Set<String>>> inventory;
  private final Predicate<String> connected;
  private final LeaderClock leaderClock;
  private final Map<String, Future<UnitClock>> inFlight = new HashMap<>();
  private long periodic = -1;
  private long first = -1;
  private boolean stopped;
  private boolean syncing;

  /** {@code inventory}: the units in the inventory now; {@code connected}: whether one's worker daemon is connected. */
  public ClockService(Vertx vertx, CommandClient commands, ClockSettings settings, ClockOffsets offsets,
                      Supplier<Future<Set<String>>> inventory, Predicate<String> connected) {
    this.vertx = vertx;
    this.commands = commands;
    this.settings = settings;
    this.offsets = offsets;
    this.inventory = inventory;
    this.connected = connected;
    this.leaderClock = new LeaderClock(vertx, settings.leaderSetCommand());
  }

  public ClockOffsets offsets() {
    return offsets;
  }

  public ClockSettings settings() {
    return settings;
  }

  /** The leader's own clock (upstream's "Update clocks"): set with {@code clocks.leader_set_command}, if any. */
  public LeaderClock leaderClock() {
    return leaderClock;
  }

  /** The units a round measures: in the inventory, worker daemon connected. */
  public Future<Set<String>> connectedUnits() {
    return inventory.get().map(units -> {
      Set<String> out = new TreeSet<>();
      units.stream().filter(connected).forEach(out::add);
      return out;
    });
  }

  public boolean syncing() {
    return syncing;
  }

  public ClockService start() {
    first = vertx.setTimer(FIRST_ROUND_MS, t -> round());
    periodic = vertx.setPeriodic(FIRST_ROUND_MS + settings.interval().toMillis(), settings.interval().toMillis(), t -> round());
    return this;
  }

  public void stop() {
    stopped = true;
    vertx.cancelTimer(first);
    vertx.cancelTimer(periodic);
  }

  /** One round: every connected unit of the inventory, one after another across the interval. */
  private void round() {
    inventory.get().onSuccess(units -> {
      offsets.retain(units);
      List<String> targets = units.stream().filter(connected).sorted().toList();
      long spacing = targets.isEmpty() ? 0 : settings.interval().toMillis() / targets.size();
      for (int i = 0; i < targets.size(); i++) {
        String unit = targets.get(i);
        Runnable measure = () -> {
          if (!stopped) {
            measure(unit).onFailure(err -> LOG.debug("clock of {} not measured: {}", unit, err.getMessage()));
          }
        };
        if (i == 0) {
          measure.run();
        } else {
          vertx.setTimer(i * spacing, t -> measure.run());
        }
      }
    }).onFailure(err -> LOG.warn("clocks: could not list the inventory: {}", err.getMessage()));
  }

  /** Measures {@code unit} now (joining a measurement already under way); fails when no sample was valid. */
  public Future<UnitClock> measure(String unit) {
    Future<UnitClock> running = inFlight.get(unit);
    if (running != null) {
      return running;
    }
    return measureNow(unit);
  }

  /** A measurement that starts after this call (after one under way, which may have begun before a clock step). */
  private Future<UnitClock> measureAfresh(String unit) {
    Future<UnitClock> running = inFlight.get(unit);
    return running == null ? measureNow(unit) : running.transform(ar -> measureAfresh(unit));
  }

  private Future<UnitClock> measureNow(String unit) {
    List<ClockSample> samples = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Future<UnitClock> f = sample(unit, settings.samples(), samples, problems).compose(v -> {
      var best = ClockSample.best(samples);
      if (best.isEmpty()) {
        String why = problems.isEmpty() ? "no answer" : problems.get(problems.size() - 1);
        return Future.failedFuture(new IllegalStateException(unit + ": no clock sample (" + why + ")"));
      }
      UnitClock c = UnitClock.of(best.get(), Instant.now());
      offsets.put(unit, c);
      return Future.succeededFuture(c);
    });
    inFlight.put(unit, f);
    f.onComplete(ar -> inFlight.remove(unit));
    return f;
  }

  /** {@code left} exchanges one after another (each waits for the last), valid samples into {@code samples}. */
  private Future<Void> sample(String unit, int left, List<ClockSample> samples, List<String> problems) {
    if (left == 0 || stopped) {
      return Future.succeededFuture();
    }
    double t1 = ClockExchange.nowMs();
    return commands.request(unit, Protocol.CLOCK, ClockExchange.request(t1), settings.replyWait())
        .map(reply -> {
          double t4 = ClockExchange.nowMs();
          if (!reply.ok()) {
            problems.add("refused: " + reply.error());
            return true;
          }
          var s = ClockSample.of(t1, reply.result(), t4, settings.replyWait().toMillis());
          s.sample().ifPresentOrElse(samples::add, () -> {
            problems.add(s.problem());
            LOG.warn("ignored a clock answer from {}: {}", unit, s.problem());
          });
          return true;
        })
        .recover(err -> {
          problems.add(err.getMessage());
          // No answer: the unit is away, and the next exchanges would wait as long: stop here.
          return Future.succeededFuture(!(err instanceof CommandClient.NoReplyException));
        })
        .compose(goOn -> goOn ? sample(unit, left - 1, samples, problems) : Future.succeededFuture());
  }

  /**
   * Measures each of {@code units}, has each step its clock ({@code clock_sync_command}), and measures again: one
   * {@code {pioreactor_unit, ok, error?, before, after, within_threshold}} each. 409 while another sync runs.
   */
  public Future<JsonArray> sync(Set<String> units) {
    if (syncing) {
      return Future.failedFuture(new ApiException(409, "a clock sync is already running", null,
          "one sync at a time: it ends within about " + (SYNC_WAIT.toSeconds() + 5) + " s", "wait for it to finish, then try again"));
    }
    syncing = true;
    Map<String, UnitClock> before = new HashMap<>();
    LOG.info("syncing clocks of {}", units);
    return measureEach(units, before, false)
        .compose(v -> commands.gather(units, Protocol.SYNC_CLOCK, new JsonObject(), SYNC_WAIT))
        .compose(replies -> {
          Map<String, CommandReply> byUnit = new HashMap<>();
          replies.forEach(r -> byUnit.put(r.unit(), r));
          Map<String, UnitClock> after = new HashMap<>();
          return measureEach(byUnit.keySet(), after, true).map(v -> results(new TreeSet<>(units), before, byUnit, after));
        })
        .onComplete(ar -> syncing = false);
  }

  private Future<Void> measureEach(Set<String> units, Map<String, UnitClock> into, boolean afresh) {
    List<Future<?>> all = new ArrayList<>();
    for (String u : units) {
      all.add((afresh ? measureAfresh(u) : measure(u)).onSuccess(c -> into.put(u, c)).otherwiseEmpty());
    }
    return Future.join(all).mapEmpty();
  }

  private JsonArray results(Set<String> units, Map<String, UnitClock> before, Map<String, CommandReply> replies,
                            Map<String, UnitClock> after) {
    JsonArray out = new JsonArray();
    for (String u : units) {
      CommandReply r = replies.get(u);
      UnitClock b = before.getOrDefault(u, offsets.get(u).orElse(null));
      UnitClock a = after.get(u);
      JsonObject o = new JsonObject().put("pioreactor_unit", u).put("ok", r != null && r.ok())
          .put("before", b == null ? null : b.toJson(offsets.maxOffsetMs()))
          .put("after", a == null ? null : a.toJson(offsets.maxOffsetMs()))
          .put("within_threshold", a != null && offsets.within(a));
      if (r == null) {
        o.put("error", "no answer within " + SYNC_WAIT.toSeconds() + " s (is " + u + " online?)");
      } else if (!r.ok()) {
        o.put("error", r.error());
      } else if (a == null) {
        o.put("error", "the clock step ran, but " + u + " did not answer the measurement after it");
      }
      out.add(o);
    }
    LOG.info("clock sync done: {}", out.encode());
    return out;
  }
}
