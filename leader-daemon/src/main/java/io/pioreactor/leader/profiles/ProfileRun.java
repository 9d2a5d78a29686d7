package io.pioreactor.leader.profiles;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One run of a profile in one experiment, on Vert.x timers. Actions due at the same time fire one after another
 * in file order. Who takes part is decided when an action fires, not when the run starts: {@code common} means
 * the active workers assigned to the experiment at that moment, and a unit block acts only while its unit is
 * assigned and active. A failed action is logged and the run goes on.
 */
public final class ProfileRun {

  /** Who may take part, asked at each action. */
  public interface Targets {
    Future<List<String>> activeAssigned(String experiment);

    /** Assigned to {@code experiment} and active; otherwise the reason it takes no part. */
    Future<String> whyNot(String unit, String experiment);
  }

  /** What the actions do. */
  public interface Actions {
    Future<?> perform(ProfileAction action, String unit, String experiment);

    Future<?> log(String experiment, String message);
  }

  private final Vertx vertx;
  private final ExperimentProfile profile;
  private final String experiment;
  private final Targets targets;
  private final Actions actions;
  private final Consumer<JsonObject> onProgress;
  private final Consumer<String> log;
  private long startedNanos;
  private String startedAt;
  private long timer = -1;
  private int next;
  private int done;
  private int skipped;
  private int failed;
  private String state = "init";
  private final JsonArray recent = new JsonArray();

  public ProfileRun(Vertx vertx, ExperimentProfile profile, String experiment, Targets targets, Actions actions,
                    Consumer<JsonObject> onProgress, Consumer<String> log) {
    this.vertx = vertx;
    this.profile = profile;
    this.experiment = experiment;
    this.targets = targets;
    this.actions = actions;
    this.onProgress = onProgress;
    this.log = log;
  }

  public void start() {
    startedNanos = System.nanoTime();
    startedAt = Instant.now().toString();
    state = "running";
    log.accept("experiment profile '" + profile.name() + "' started in " + experiment + " (" + profile.actions().size() + " actions)");
    onProgress.accept(progress());
    scheduleNext();
  }

  /** Cancels what is left; jobs already started keep running (stop them as any job). */
  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    if (state.equals("running")) {
      state = "stopped";
      log.accept("experiment profile '" + profile.name() + "' stopped in " + experiment + " after " + done + " of "
          + profile.actions().size() + " actions");
      onProgress.accept(progress());
    }
  }

  public boolean isRunning() {
    return state.equals("running");
  }

  public JsonObject progress() {
    JsonObject p = new JsonObject().put("experiment_profile_name", profile.name()).put("experiment", experiment)
        .put("state", state).put("started_at", startedAt).put("actions_total", profile.actions().size())
        .put("actions_done", done).put("skipped", skipped).put("failed", failed).put("recent", recent.copy());
    if (next < profile.actions().size() && state.equals("running")) {
      p.put("next_at_seconds", profile.actions().get(next).atMillis() / 1000.0);
    }
    return p;
  }

  /** What would happen if it started now: each action with the units it would reach today. */
  public static Future<JsonArray> dryRun(ExperimentProfile profile, String experiment, Targets targets) {
    JsonArray plan = new JsonArray();
    Future<Void> chain = Future.succeededFuture();
    for (ProfileAction a : profile.actions()) {
      chain = chain.compose(v -> {
        if (a.type() == ProfileAction.Type.LOG) {
          plan.add(a.toJson().put("units", new JsonArray()));
          return Future.succeededFuture();
        }
        Future<JsonObject> row = a.isCommon()
            ? targets.activeAssigned(experiment).map(us -> a.toJson().put("units", new JsonArray(us)))
            : targets.whyNot(a.unit(), experiment).map(why -> why == null ? a.toJson().put("units", new JsonArray().add(a.unit()))
                : a.toJson().put("units", new JsonArray()).put("skipped", why));
        return row.map(r -> {
          plan.add(r);
          return null;
        });
      });
    }
    return chain.map(v -> plan);
  }

  private void scheduleNext() {
    if (next >= profile.actions().size()) {
      state = "finished";
      log.accept("experiment profile '" + profile.name() + "' finished in " + experiment + ": " + done + " actions, "
          + skipped + " skipped, " + failed + " failed");
      onProgress.accept(progress());
      return;
    }
    long due = profile.actions().get(next).atMillis();
    long elapsed = (System.nanoTime() - startedNanos) / 1_000_000;
    timer = vertx.setTimer(Math.max(1, due - elapsed), t -> {
      timer = -1;
      // Everything due now, in file order, one after another.
      List<ProfileAction> batch = new ArrayList<>();
      while (next < profile.actions().size() && profile.actions().get(next).atMillis() <= due) {
        batch.add(profile.actions().get(next++));
      }
      Future<Void> chain = Future.succeededFuture();
      for (ProfileAction a : batch) {
        chain = chain.compose(v -> state.equals("running") ? fire(a) : Future.succeededFuture());
      }
      chain.onComplete(ar -> {
        if (state.equals("running")) {
          onProgress.accept(progress());
          scheduleNext();
        }
      });
    });
  }

  private Future<Void> fire(ProfileAction a) {
    done++;
    if (a.type() == ProfileAction.Type.LOG) {
      return actions.log(experiment, a.options().getString("message")).transform(ar -> note(a, "log", ar.failed() ? ar.cause() : null));
    }
    Future<List<String>> units = a.isCommon() ? targets.activeAssigned(experiment)
        : targets.whyNot(a.unit(), experiment).map(why -> {
          if (why != null) {
            skipped++;
            log.accept("experiment profile: skipped " + a.type().wire() + " " + a.job() + " on " + a.unit() + " (" + why + ")");
            return List.of();
          }
          return List.of(a.unit());
        });
    return units.compose(us -> {
      List<Future<?>> all = new ArrayList<>();
      for (String u : us) {
        all.add(actions.perform(a, u, experiment).onFailure(err -> {
          failed++;
          log.accept("experiment profile: " + a.type().wire() + " " + a.job() + " on " + u + " failed: " + err.getMessage());
        }));
      }
      return Future.join(all).transform(ar -> note(a, String.join(",", us), null));
    });
  }

  private Future<Void> note(ProfileAction a, String where, Throwable err) {
    recent.add(new JsonObject().put("t_seconds", a.atMillis() / 1000.0).put("type", a.type().wire()).put("job", a.job())
        .put("units", where).put("at", Instant.now().toString()));
    while (recent.size() > 20) {
      recent.remove(0);
    }
    return Future.succeededFuture();
  }
}
