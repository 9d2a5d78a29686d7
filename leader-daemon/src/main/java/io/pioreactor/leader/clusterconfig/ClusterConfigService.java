package io.pioreactor.leader.clusterconfig;

import io.pioreactor.leader.api.ApiException;
import io.pioreactor.leader.database.Writes;
import io.pioreactor.leader.inventory.WorkerRepository;
import io.pioreactor.leader.inventory.WorkerRow;
import io.pioreactor.leader.telemetry.UnitTime;
import io.pioreactor.protocol.Names;
import io.pioreactor.protocol.config.ConfigRules;
import io.pioreactor.protocol.config.Ini;
import io.pioreactor.protocol.config.IniException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The cluster configuration: one shared INI and one specific INI per unit, every version kept in upstream's
 * {@code config_files_histories} (the newest row of a filename is the current text). A unit's effective
 * configuration is the shared one with its specific one on top. An edit is checked whole before anything is stored
 * ({@link ConfigRules}, and every unit's merged result); a refused one changes nothing. What is stored is delivered by
 * {@link ConfigDeliveries}.
 */
public final class ClusterConfigService {
  public static final String SHARED = "config.ini";
  private static final String SPECIFIC_PREFIX = "unit_config.ini::";
  static final int MAX_HISTORY = 200;

  private final Pool pool;
  private final WorkerRepository workers;
  /** The leader's own sections, for a reader who reached it at the given host. */
  private final Function<String, Future<LeaderOwnedSections>> leaderOwned;
  /** The host units are told the leader is at. */
  private final String unitsSeeLeaderAs;
  private Runnable onChange = () -> {};
  private Clock clock = Clock.systemUTC();

  public ClusterConfigService(Pool pool, WorkerRepository workers, Function<String, Future<LeaderOwnedSections>> leaderOwned,
                              String unitsSeeLeaderAs) {
    this.pool = pool;
    this.workers = workers;
    this.leaderOwned = leaderOwned;
    this.unitsSeeLeaderAs = unitsSeeLeaderAs;
  }

  /** Runs after every stored edit (the deliveries re-send). */
  public ClusterConfigService onChange(Runnable r) {
    this.onChange = r;
    return this;
  }

  /** The clock versions are stamped with (tests). */
  ClusterConfigService clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  static String specificKey(String unit) {
    return SPECIFIC_PREFIX + unit;
  }

  /** Stores the default shared configuration if there is none yet (a new cluster, or one from before this existed). */
  public Future<Void> ensureShared() {
    // One statement: an edit stored meanwhile (the API is up before this is done) is never replaced by the default.
    return Writes.execute(pool, "INSERT INTO config_files_histories (timestamp, filename, data) SELECT ?, ?, ? "
        + "WHERE NOT EXISTS (SELECT 1 FROM config_files_histories WHERE filename = ?)",
        Tuple.of(now(), SHARED, DefaultSharedConfig.TEXT, SHARED)).mapEmpty();
  }

  /** The shared configuration as a reader at {@code seenAs} gets it: the stored text, the leader's own sections written in. */
  public Future<String> shared(String seenAs) {
    return current(SHARED).compose(text -> leaderOwned.apply(seenAs)
        .map(owned -> owned.applyTo(Ini.parse(text == null ? DefaultSharedConfig.TEXT : text)).text()));
  }

  public Future<String> specific(String unit) {
    return known(unit).compose(v -> current(specificKey(unit))).map(t -> t == null ? "" : t);
  }

  /** The configuration {@code unit} runs with: what {@link ConfigDeliveries} sends it. */
  public Future<Ini> effective(String unit) {
    return current(SHARED).compose(shared -> current(specificKey(unit)).compose(specific -> leaderOwned.apply(unitsSeeLeaderAs)
        .map(owned -> merged(owned, shared == null ? DefaultSharedConfig.TEXT : shared, specific == null ? "" : specific))));
  }

  /**
   * Every unit's effective configuration at once (what {@link ConfigDeliveries#deliverAll} sends): the shared text
   * and the leader's own sections are read and written in once, and units without a specific text share one result,
   * so a change for a hundred units costs a few queries, not hundreds.
   */
  public Future<java.util.Map<String, Ini>> effectiveOfAll(List<String> units) {
    return current(SHARED).compose(shared -> currentSpecifics().compose(specifics -> leaderOwned.apply(unitsSeeLeaderAs).map(owned -> {
      Ini base = owned.applyTo(Ini.parse(shared == null ? DefaultSharedConfig.TEXT : shared));
      Ini plain = LeaderOwnedSections.forUnits(base);
      java.util.Map<String, Ini> out = new java.util.LinkedHashMap<>();
      for (String u : units) {
        String specific = specifics.get(u);
        out.put(u, specific == null || specific.isBlank() ? plain
            : LeaderOwnedSections.forUnits(Ini.merge(base, Ini.parse(specific))));
      }
      return out;
    })));
  }

  /** The newest specific text of every unit that has one. */
  private Future<java.util.Map<String, String>> currentSpecifics() {
    return pool.preparedQuery("SELECT filename, data FROM config_files_histories h WHERE filename LIKE ? AND rowid = "
            + "(SELECT rowid FROM config_files_histories WHERE filename = h.filename ORDER BY timestamp DESC, rowid DESC LIMIT 1)")
        .execute(Tuple.of(SPECIFIC_PREFIX + "%")).map(rows -> {
          java.util.Map<String, String> out = new java.util.HashMap<>();
          rows.forEach(r -> out.put(r.getString("filename").substring(SPECIFIC_PREFIX.length()), r.getString("data")));
          return out;
        });
  }

  private static Ini merged(LeaderOwnedSections owned, String shared, String specific) {
    // Cleaned after merging: a unit's specific text cannot bring the browsers' credential or the address book back.
    return LeaderOwnedSections.forUnits(Ini.merge(owned.applyTo(Ini.parse(shared)), Ini.parse(specific)));
  }

  /** Upstream's history rows, newest first: {@code [{filename, timestamp, data}]}. */
  public Future<JsonArray> sharedHistory() {
    return sharedHistory(null);
  }

  /**
   * The shared history as a reader at {@code seenAs} gets it: each version with the leader's own sections written in
   * as {@link #shared(String)} does, so restoring an old version (upstream's page saves it as it is) is not refused
   * for a port or an address that changed since.
   */
  public Future<JsonArray> sharedHistory(String seenAs) {
    if (seenAs == null) {
      return history(SHARED);
    }
    return history(SHARED).compose(rows -> leaderOwned.apply(seenAs).map(owned -> {
      JsonArray out = new JsonArray();
      for (Object o : rows) {
        JsonObject row = ((JsonObject) o).copy();
        try {
          row.put("data", owned.applyTo(Ini.parse(row.getString("data"))).text());
        } catch (IniException e) {
          // (every stored version parsed when it was stored; a text the parser now refuses is shown as it was)
        }
        out.add(row);
      }
      return out;
    }));
  }

  public Future<JsonArray> specificHistory(String unit) {
    return known(unit).compose(v -> history(specificKey(unit)));
  }

  /** Checks and stores a new shared configuration; refused whole (400, with its lines) if anything is wrong. */
  public Future<Void> updateShared(String code, String seenAs) {
    return parsed(code).compose(edited -> leaderOwned.apply(seenAs).compose(owned -> {
      String conflict = owned.conflict(edited);
      if (conflict != null) {
        return Future.failedFuture(new ApiException(400, conflict));
      }
      // The edit's own problems at its own lines; then the whole with the leader's sections written in (which moves
      // lines): a guard, since those sections are the required ones and the leader always writes them.
      List<IniException> problems = ConfigRules.problems(edited, false);
      if (problems.isEmpty()) {
        problems = ConfigRules.problems(owned.applyTo(edited), true);
      }
      if (!problems.isEmpty()) {
        return Future.failedFuture(ConfigRefused.of(problems));
      }
      // Every unit's merged result must hold too (a shared [PWM] change can clash with a unit's own).
      return workers.all().compose(rows -> checkEachUnit(rows, owned, edited.text(), null))
          .compose(v -> insert(SHARED, owned.removeFrom(edited).text()));
    })).onSuccess(v -> onChange.run());
  }

  /** The text of an edit, parsed: refused (400, with its line) when it is missing or does not parse. */
  private static Future<Ini> parsed(String code) {
    if (code == null) {
      return Future.failedFuture(ApiException.badRequest("'code' is required: the whole configuration text"));
    }
    try {
      return Future.succeededFuture(Ini.parse(code));
    } catch (IniException e) {
      return Future.failedFuture(ConfigRefused.of(List.of(e)));
    }
  }

  /** Checks and stores {@code unit}'s specific configuration (the empty text removes every override). */
  public Future<Void> updateSpecific(String unit, String code) {
    return parsed(code).compose(edited -> {
      List<IniException> problems = ConfigRules.problems(edited, false);
      return problems.isEmpty() ? storeSpecific(unit, edited) : Future.failedFuture(ConfigRefused.of(problems));
    });
  }

  private Future<Void> storeSpecific(String unit, Ini edited) {
    return known(unit).compose(row -> current(SHARED).compose(shared -> leaderOwned.apply(unitsSeeLeaderAs).compose(owned -> {
      if (owned.conflict(edited) != null) {
        return Future.failedFuture(new ApiException(400, owned.conflict(edited)));
      }
      return checkEachUnit(List.of(row), owned, shared == null ? DefaultSharedConfig.TEXT : shared, edited.text());
    }))).compose(v -> insert(specificKey(unit), edited.text())).onSuccess(v -> onChange.run());
  }

  /** Each unit's merged result checked; units without a specific text have the shared one, checked by the caller. */
  private Future<Void> checkEachUnit(List<WorkerRow> rows, LeaderOwnedSections owned, String shared, String specificOfOne) {
    Future<java.util.Map<String, String>> specifics = specificOfOne != null
        ? Future.succeededFuture(java.util.Map.of(rows.get(0).unit(), specificOfOne)) : currentSpecifics();
    return specifics.compose(byUnit -> {
      for (WorkerRow r : rows) {
        String specific = byUnit.get(r.unit());
        if (specific == null || specific.isBlank()) {
          continue;
        }
        List<IniException> p = ConfigRules.problems(merged(owned, shared, specific), false);
        if (!p.isEmpty()) {
          return Future.failedFuture(new ApiException(400, "merged with " + r.unit() + "'s specific configuration: "
              + p.get(0).getMessage().replaceFirst("^line \\d+: ", ""), null, null,
              "change " + r.unit() + "'s specific configuration, or this, so the two agree"));
        }
      }
      return Future.succeededFuture();
    });
  }

  private Future<WorkerRow> known(String unit) {
    if (unit == null || Names.unitNameProblem(unit).isPresent()) {
      return Future.failedFuture(ApiException.badRequest("invalid unit name '" + unit + "'"));
    }
    return workers.find(unit).compose(r -> r.isPresent() ? Future.succeededFuture(r.get())
        : Future.failedFuture(ApiException.notFound(unit + " is not in the inventory")));
  }

  private Future<String> current(String filename) {
    return pool.preparedQuery("SELECT data FROM config_files_histories WHERE filename = ? ORDER BY timestamp DESC, rowid DESC LIMIT 1")
        .execute(Tuple.of(filename)).map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("data"));
  }

  private Future<JsonArray> history(String filename) {
    return pool.preparedQuery("SELECT filename, timestamp, data FROM config_files_histories WHERE filename = ? "
            + "ORDER BY timestamp DESC, rowid DESC LIMIT " + MAX_HISTORY)
        .execute(Tuple.of(filename)).map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(new JsonObject().put("filename", r.getString("filename"))
              .put("timestamp", r.getString("timestamp")).put("data", r.getString("data"))));
          return out;
        });
  }

  private Future<Void> insert(String filename, String text) {
    return Writes.execute(pool, "INSERT INTO config_files_histories (timestamp, filename, data) VALUES (?, ?, ?)",
        Tuple.of(now(), filename, text)).mapEmpty();
  }

  /** One width for every row (microseconds, as UnitTime): the newest version is found by comparing these as text. */
  private String now() {
    return UnitTime.format(clock.instant());
  }

  /** A refused configuration: the first problem as the error, every problem with its line in {@code problems}. */
  public static final class ConfigRefused extends ApiException {
    private final List<IniException> problems;

    private ConfigRefused(List<IniException> problems) {
      super(400, problems.get(0).getMessage(), null, problems.size() > 1 ? (problems.size() - 1) + " more problem(s): see 'problems'" : null,
          "fix it and save again; nothing was stored or sent");
      this.problems = problems;
    }

    static ConfigRefused of(List<IniException> problems) {
      return new ConfigRefused(problems);
    }

    @Override
    public JsonObject toJson() {
      JsonArray p = new JsonArray();
      problems.forEach(e -> p.add(new JsonObject().put("line", e.line()).put("message", e.getMessage())));
      return super.toJson().put("problems", p);
    }
  }
}
