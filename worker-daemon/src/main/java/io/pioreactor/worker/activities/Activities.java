package io.pioreactor.worker.activities;

import io.pioreactor.protocol.JobRun;
import io.pioreactor.protocol.JobState;
import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Membership;
import io.pioreactor.protocol.Topic;
import io.pioreactor.protocol.Topics;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The jobs running on this worker, one instance per job name, and the rules the worker enforces itself
 * (not only the leader): an inactive worker, or one not in the inventory, runs nothing; a job runs only in
 * the experiment the worker is assigned to. {@link #enforce} runs on every membership message, so a worker
 * that was away when it was deactivated halts its jobs as soon as it hears about it.
 */
public final class Activities {
  private final ActivityContext ctx;
  private final Supplier<Membership> membership;
  private final Supplier<Boolean> membershipKnown;
  private final Map<String, Activity> running = new LinkedHashMap<>();
  /** Job-state topics of jobs this daemon stopped (and has not started again): said again on every reconnect. */
  private static final int MAX_STOPPED_REMEMBERED = 32;
  private final java.util.Set<String> stoppedStates = new java.util.LinkedHashSet<>();

  /** {@code ctx} comes without children: this supervisor is what runs them. */
  public Activities(ActivityContext base, Supplier<Membership> membership, Supplier<Boolean> membershipKnown) {
    this.ctx = new ActivityContext(base.vertx(), base.unit(), base.hat(), base.mqtt(), base.log(), base.membershipSettled(),
        base.connectionLost(), run -> start(run).compose(started -> {
          Activity child = running.get(run.job());
          return child == null ? Future.succeededFuture() : child.finished();
        }), base.retainOnMainSession(), base.defaults());
    this.membership = membership;
    this.membershipKnown = membershipKnown;
    this.rules = new StartRules(ctx.unit(), membership, membershipKnown);
  }

  private final StartRules rules;

  /** Starts a job; completes once it is {@code ready}, or fails with a reason a person can act on. */
  public Future<JsonObject> start(JobRun run) {
    if (!Jobs.WORKER_JOBS.contains(run.job())) {
      return Future.failedFuture(new IllegalArgumentException(
          "unknown job '" + run.job() + "' (this worker runs " + String.join(", ", Jobs.WORKER_JOBS) + ")"));
    }
    String refusal = rules.refusal(run, running);
    if (refusal != null) {
      ctx.log().job(run.experiment(), run.job(), "warning", "refused to start " + run.job() + ": " + refusal);
      return Future.failedFuture(new IllegalStateException(refusal));
    }
    Activity a;
    try {
      a = create(run);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    running.put(run.job(), a);
    sources.put(run.job(), run.sourceOrUser());
    stoppedStates.remove(Topics.jobState(ctx.unit(), a.experiment(), a.name()));
    a.onFinished(() -> {
      if (running.remove(run.job(), a)) {
        sources.remove(run.job());
      }
      reassertStopped(a, 1_000);
      jobsChanged.run();
    });
    jobsChanged.run();
    ctx.log().job(run.experiment(), run.job(), "info", "starting " + run.job() + " " + run.options().encode());
    return a.start().map(v -> new JsonObject().put("job", a.name()).put("experiment", a.experiment())
        .put("state", a.state().wire()).put("settings", a.settingsSnapshot()));
  }

  /** Jobs made elsewhere (a package above this one: the self test), by name. */
  private final Map<String, java.util.function.BiFunction<ActivityContext, JobRun, Activity>> factories = new LinkedHashMap<>();

  public Activities register(String job, java.util.function.BiFunction<ActivityContext, JobRun, Activity> factory) {
    factories.put(job, factory);
    return this;
  }

  private Activity create(JobRun run) {
    String e = run.experiment();
    var made = factories.get(run.job());
    if (made != null) {
      return made.apply(ctx, run);
    }
    return switch (run.job()) {
      case Jobs.STIRRING -> new Stirring(ctx, e, run.options());
      case Jobs.LED_INTENSITY -> new LedIntensity(ctx, e, run.options());
      case Jobs.OD_READING -> new OdReading(ctx, e, run.options());
      case Jobs.ADD_MEDIA, Jobs.REMOVE_WASTE, Jobs.ADD_ALT_MEDIA -> new Pump(ctx, run.job(), e, run.options());
      case Jobs.TEMPERATURE_AUTOMATION -> new TemperatureAutomation(ctx, e, run.options());
      case Jobs.DOSING_AUTOMATION -> new DosingAutomation(ctx, e, run.options());
      case Jobs.LED_AUTOMATION -> new LedAutomation(ctx, e, run.options());
      case Jobs.GROWTH_RATE_CALCULATING -> new GrowthRateCalculating(ctx, e, run.options());
      default -> throw new IllegalArgumentException("unknown job '" + run.job() + "'");
    };
  }

  /** Who started each running job (upstream's {@code job_source}: {@code user}, {@code experiment_profile}, …). */
  private final Map<String, String> sources = new LinkedHashMap<>();

  /** Stops the jobs matching {@code job}, {@code experiment} and {@code source} (null matches any), in the safety order. */
  public Future<List<String>> stop(String job, String experiment, String source, String why) {
    return stopInOrder(a -> (job == null || a.name().equals(job)) && (experiment == null || a.experiment().equals(experiment))
        && (source == null || source.equals(sources.get(a.name()))), why);
  }

  /** Stops every job that the membership no longer allows. Idempotent; called on every membership message. */
  public Future<List<String>> enforce(Membership m) {
    String why = m == null ? "removed from the inventory" : !m.isActive() ? "worker set inactive"
        : m.experiment() == null ? "unassigned from its experiment" : "assigned to experiment '" + m.experiment() + "'";
    // A job of the unit itself (under $experiment) stops only when the unit may run nothing at all.
    return stopInOrder(a -> m == null || !m.isActive()
        || !(a.experiment().equals(m.experiment()) || Topics.UNIT_LEVEL.equals(a.experiment())), why);
  }

  public Future<List<String>> haltAll(String why) {
    return stopInOrder(a -> true, why);
  }

  /** Pumps and PWM first, then heaters, then automations, then the rest: each group stops before the next. */
  private Future<List<String>> stopInOrder(java.util.function.Predicate<Activity> which, String why) {
    Map<Integer, List<Activity>> byRank = new TreeMap<>();
    // Jobs already stopping are included: their group waits for them too, so the order holds across callers.
    running.values().stream().filter(which)
        .sorted(Comparator.comparing(Activity::name))
        .forEach(a -> byRank.computeIfAbsent(Jobs.stopRank(a.name()), r -> new ArrayList<>()).add(a));
    // Nothing selected starts anything new from here on (an automation between its pump runs).
    byRank.values().forEach(g -> g.forEach(Activity::markStopping));
    List<String> stopped = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (List<Activity> group : byRank.values()) {
      chain = chain.compose(v -> {
        List<Future<Void>> stops = new ArrayList<>();
        for (Activity a : group) {
          if (!a.isStopCalled()) {
            stopped.add(a.name());
            ctx.log().job(a.experiment(), a.name(), "info", "stopping " + a.name() + ": " + why);
          }
          stops.add(a.stop());
        }
        return Future.join(stops).mapEmpty();
      });
    }
    return chain.map(v -> stopped);
  }

  /**
   * Embedded Artemis sometimes fires the last will of a job session that disconnected cleanly (its handling of the
   * DISCONNECT races the socket close), which would leave {@code lost} on a job we stopped. Shortly after, the worker's
   * own session has the last word, unless the job has been started again meanwhile: {@code disconnected} if the worker
   * is still in the job's experiment; cleared if it has left it (reassigned, unassigned, removed), as {@link #tidy}
   * clears what experiments it left hold. A late will can land after that tidy's read, so this does not rely on it.
   */
  private void reassertStopped(Activity a, long afterMs) {
    if (ctx.retainOnMainSession() == null) {
      return;
    }
    String topic = Topics.jobState(ctx.unit(), a.experiment(), a.name());
    stoppedStates.remove(topic);
    stoppedStates.add(topic); // most recent last
    while (stoppedStates.size() > MAX_STOPPED_REMEMBERED) {
      stoppedStates.remove(stoppedStates.iterator().next()); // the oldest: long settled by now
    }
    ctx.vertx().setTimer(afterMs, t -> {
      if (!stoppedStates.contains(topic)) {
        return; // started again since
      }
      if (a.experiment().equals(currentExperiment()) || Topics.UNIT_LEVEL.equals(a.experiment())) {
        ctx.retainOnMainSession().apply(topic, JobState.DISCONNECTED.wire());
      } else {
        stoppedStates.remove(topic);
        ctx.retainOnMainSession().apply(topic, "");
      }
    });
  }

  /**
   * After the worker's session (re)connects: {@code disconnected} again for every job this daemon stopped in its
   * experiment. A broker that died just after the job's last words (the embedded one killed with its leader) may have
   * lost them, and a retained {@code ready} for a job that is not running would mislead every reader.
   */
  public Future<Void> reassertStoppedJobs() {
    if (ctx.retainOnMainSession() == null) {
      return Future.succeededFuture();
    }
    List<Future<?>> sent = new ArrayList<>();
    for (String topic : List.copyOf(stoppedStates)) {
      Topic t = Topic.parse(topic).orElse(null);
      if (t != null && (t.experiment().equals(currentExperiment()) || t.isUnitLevel())) {
        sent.add(ctx.retainOnMainSession().apply(topic, JobState.DISCONNECTED.wire()));
      } else {
        stoppedStates.remove(topic); // of an experiment this unit has left: tidy clears what it holds
      }
    }
    return Future.join(sent).<Void>mapEmpty().otherwise((Void) null); // a failed send is retried on the next reconnect
  }

  /**
   * What this unit has retained under its jobs' topics, read back from the broker (at every connect, and after it
   * leaves an experiment), put right. Only this daemon knows what it runs, so only it can tell stale from live:
   * <ul>
   *   <li>a job that runs here: left alone;</li>
   *   <li>a job of the experiment the unit is in that does not run: it says {@code disconnected} (as upstream leaves
   *       a stopped job; a {@code kill -9} or a power cut left {@code lost} or {@code ready}), its settings cleared;</li>
   *   <li>anything of another experiment: cleared. Retained topics of experiments the unit has left would otherwise
   *       pile up for every experiment a lab ever ran, in every reader and in the broker.</li>
   * </ul>
   */
  public void tidy(Topic topic, Buffer payload) {
    if (!topic.isJobAttribute() || !topic.unit().equals(ctx.unit()) || ctx.retainOnMainSession() == null
        || payload.length() == 0) {
      return;
    }
    Activity a = running.get(topic.job());
    if (a != null && a.experiment().equals(topic.experiment())) {
      return;
    }
    String t = Topics.job(topic.unit(), topic.experiment(), topic.job(), topic.jobAttribute());
    boolean here = topic.experiment().equals(currentExperiment());
    if (here && topic.isJobState()) {
      if (!JobState.DISCONNECTED.wire().equals(payload.toString())) {
        ctx.retainOnMainSession().apply(t, JobState.DISCONNECTED.wire());
      }
      return;
    }
    ctx.retainOnMainSession().apply(t, "");
  }

  private String currentExperiment() {
    Membership m = membership.get();
    return m == null ? null : m.experiment();
  }

  /** {@code pioreactor/<unit|$broadcast>/<experiment>/<job>/<setting>/set}. */
  public void onSet(Topic topic, Buffer payload) {
    Activity a = running.get(topic.job());
    if (a == null || !a.experiment().equals(topic.experiment())) {
      return;
    }
    String setting = topic.setting();
    String value = payload.toString();
    Future<Void> done = Topics.STATE.equals(setting) ? a.requestState(value) : a.requestSetting(setting, value);
    done.onFailure(err -> ctx.log().job(a.experiment(), a.name(), "warning", "refused " + setting + "=" + abbreviate(value) + ": " + err.getMessage()));
  }

  public JsonArray describe() {
    JsonArray out = new JsonArray();
    running.values().forEach(a -> out.add(new JsonObject().put("job", a.name()).put("experiment", a.experiment())
        .put("state", a.state().wire()).put("settings", a.settingsSnapshot())));
    return out;
  }

  public int count() {
    return running.size();
  }

  private Runnable jobsChanged = () -> {};

  /** Runs when a job starts or finishes (the unit says again which jobs run an older configuration). */
  public void onJobsChanged(Runnable r) {
    this.jobsChanged = r;
  }

  /** The configuration version each running job started with (null: none yet), by job name. */
  public Map<String, String> configVersions() {
    Map<String, String> out = new LinkedHashMap<>();
    running.values().forEach(a -> out.put(a.name(), a.configVersion()));
    return out;
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }
}
