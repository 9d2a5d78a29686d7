package io.pioreactor.leader.profiles;

import io.pioreactor.leader.api.ApiException;
import io.pioreactor.leader.database.SqlQueries;
import io.pioreactor.leader.database.Writes;
import io.pioreactor.leader.experiments.ExperimentRepository;
import io.pioreactor.leader.inventory.WorkerRepository;
import io.pioreactor.leader.jobs.JobService;
import io.pioreactor.protocol.JobState;
import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.LogMessage;
import io.pioreactor.protocol.Names;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.mqtt.MqttConnection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads, lists, dry-runs, starts and stops experiment profiles; at most one running per experiment. A running
 * profile is a job of the leader's own unit ({@code experiment_profile}): its {@code $state} and {@code progress}
 * are retained under {@code pioreactor/<leader>/<experiment>/experiment_profile/…} like any job's.
 */
public final class ProfileService {
  private static final Logger LOG = LoggerFactory.getLogger(ProfileService.class);

  private final Vertx vertx;
  private final Pool pool;
  private final WorkerRepository workers;
  private final ExperimentRepository experiments;
  private final JobService jobs;
  private final MqttConnection mqtt;
  private final String leaderUnit;
  private final Map<String, ProfileRun> runs = new HashMap<>();

  public ProfileService(Vertx vertx, Pool pool, WorkerRepository workers, ExperimentRepository experiments, JobService jobs,
                        MqttConnection mqtt, String leaderUnit) {
    this.vertx = vertx;
    this.pool = pool;
    this.workers = workers;
    this.experiments = experiments;
    this.jobs = jobs;
    this.mqtt = mqtt;
    this.leaderUnit = leaderUnit;
  }

  /** Parses (refusing with the line of the problem) and stores it under its {@code experiment_profile_name}. */
  public Future<JsonObject> upload(String content) {
    ExperimentProfile p = parse(content);
    return Writes.execute(pool, SqlQueries.UPSERT_PROFILE, Tuple.of(p.name(), content, p.description(), Instant.now().toString()))
        .map(rs -> summary(p));
  }

  public Future<JsonArray> list() {
    return pool.query(SqlQueries.ALL_PROFILES).execute().map(rs -> {
      JsonArray out = new JsonArray();
      rs.forEach(r -> out.add(new JsonObject().put("experiment_profile_name", r.getString("experiment_profile_name"))
          .put("description", r.getString("description")).put("uploaded_at", r.getString("uploaded_at"))
          .put("running_in", new JsonArray(runs.entrySet().stream().filter(e -> e.getValue().isRunning()
              && e.getValue().progress().getString("experiment_profile_name").equals(r.getString("experiment_profile_name")))
              .map(Map.Entry::getKey).toList()))));
      return out;
    });
  }

  /** {@code source} is a stored profile's name or the profile's text. */
  public Future<JsonObject> start(String experiment, String name, String content, boolean dryRun) {
    var problem = Names.experimentNameProblem(experiment);
    if (problem.isPresent()) {
      return Future.failedFuture(ApiException.badRequest("invalid experiment name: " + problem.get()));
    }
    if ((name == null) == (content == null)) {
      return Future.failedFuture(ApiException.badRequest("give either 'experiment_profile_name' (an uploaded profile) or 'content' (its text)"));
    }
    Future<String> text = content != null ? Future.succeededFuture(content)
        : pool.preparedQuery(SqlQueries.PROFILE_BY_NAME).execute(Tuple.of(name)).compose(rs -> rs.size() == 0
            ? Future.failedFuture(ApiException.notFound("no uploaded profile named '" + name + "'"))
            : Future.succeededFuture(rs.iterator().next().getString("content")));
    return text.compose(t -> {
      ExperimentProfile p = parse(t);
      return experiments.exists(experiment).compose(yes -> {
        if (!yes) {
          return Future.failedFuture(ApiException.notFound("no experiment named '" + experiment + "'"));
        }
        if (dryRun) {
          return ProfileRun.dryRun(p, experiment, targets()).map(plan -> summary(p).put("experiment", experiment)
              .put("dry_run", true).put("plan", plan));
        }
        ProfileRun existing = runs.get(experiment);
        if (existing != null && existing.isRunning()) {
          return Future.failedFuture(ApiException.conflict("profile '" + existing.progress().getString("experiment_profile_name")
              + "' is already running in " + experiment + "; stop it first"));
        }
        ProfileRun run = new ProfileRun(vertx, p, experiment, targets(), actions(), progress -> publish(experiment, progress),
            message -> log(experiment, message));
        runs.put(experiment, run);
        run.start();
        // Upstream's record of runs (experiment_profiles/recent); the run goes on if it cannot be written.
        return Writes.execute(pool, SqlQueries.INSERT_PROFILE_RUN,
                Tuple.of(Instant.now().toString(), p.name(), experiment))
            .onFailure(err -> LOG.warn("profile run not recorded in experiment_profile_runs: {}", err.getMessage()))
            .transform(ar -> Future.succeededFuture(run.progress()));
      });
    });
  }

  public Future<JsonObject> stop(String experiment) {
    ProfileRun run = runs.get(experiment);
    if (run == null || !run.isRunning()) {
      return Future.failedFuture(ApiException.notFound("no profile is running in " + experiment));
    }
    run.stop();
    return Future.succeededFuture(run.progress());
  }

  public Future<JsonObject> progress(String experiment) {
    ProfileRun run = runs.get(experiment);
    return run == null ? Future.failedFuture(ApiException.notFound("no profile has run in " + experiment + " since the leader started"))
        : Future.succeededFuture(run.progress());
  }

  /** Upstream's {@code experiment_profiles/recent}: every run started in the experiment, newest first. */
  public Future<JsonArray> recentRuns(String experiment) {
    return pool.preparedQuery(SqlQueries.PROFILE_RUNS_OF_EXPERIMENT).execute(Tuple.of(experiment)).map(rows -> {
      JsonArray out = new JsonArray();
      rows.forEach(r -> out.add(new JsonObject().put("started_at", r.getString("started_at"))
          .put("experiment_profile_name", r.getString("experiment_profile_name")).put("experiment", r.getString("experiment"))));
      return out;
    });
  }

  /**
   * Upstream's {@code experiment_profiles/running}: the profile job running in the experiment, as upstream lists jobs
   * ({@code job_name, experiment, job_id, settings}); empty when none runs.
   */
  public JsonArray runningAsJobs(String experiment) {
    ProfileRun run = runs.get(experiment);
    JsonArray out = new JsonArray();
    if (run != null && run.isRunning()) {
      JsonObject progress = run.progress();
      out.add(new JsonObject().put("job_name", Jobs.EXPERIMENT_PROFILE).put("experiment", experiment)
          .put("job_id", Math.abs((long) (experiment + progress.getString("started_at")).hashCode()))
          .put("settings", new JsonObject().put("experiment_profile_name", progress.getString("experiment_profile_name"))
              .put("$state", JobState.READY.wire()).put("start_time", progress.getString("started_at"))));
    }
    return out;
  }

  /** The leader is stopping: runs end (they are not resumed after a restart; their progress says where they were). */
  public void stopAll() {
    runs.values().forEach(ProfileRun::stop);
  }

  private static ExperimentProfile parse(String content) {
    try {
      return ProfileParser.parse(content);
    } catch (ProfileException e) {
      throw ApiException.badRequest("profile: " + e.getMessage());
    }
  }

  private static JsonObject summary(ExperimentProfile p) {
    return new JsonObject().put("experiment_profile_name", p.name()).put("description", p.description())
        .put("actions", p.actions().size());
  }

  private ProfileRun.Targets targets() {
    return new ProfileRun.Targets() {
      @Override
      public Future<List<String>> activeAssigned(String experiment) {
        return workers.all().map(rows -> rows.stream().filter(r -> experiment.equals(r.experiment()) && r.isActive())
            .map(r -> r.unit()).toList());
      }

      @Override
      public Future<String> whyNot(String unit, String experiment) {
        return workers.find(unit).map(row -> row.isEmpty() ? unit + " is not in the inventory"
            : !experiment.equals(row.get().experiment()) ? unit + " is not assigned to " + experiment
            : !row.get().isActive() ? unit + " is inactive" : null);
      }
    };
  }

  private ProfileRun.Actions actions() {
    return new ProfileRun.Actions() {
      @Override
      public Future<?> perform(ProfileAction a, String unit, String experiment) {
        return switch (a.type()) {
          case START -> jobs.run(unit, a.job(), experiment, a.options(), a.args(), io.pioreactor.protocol.JobRun.EXPERIMENT_PROFILE);
          case STOP -> jobs.stop(unit, a.job(), experiment);
          case PAUSE -> set(unit, experiment, a.job(), Topics.STATE, JobState.SLEEPING.wire());
          case RESUME -> set(unit, experiment, a.job(), Topics.STATE, JobState.READY.wire());
          case UPDATE -> {
            Future<?> all = Future.succeededFuture();
            for (String k : a.options().fieldNames()) {
              Object v = a.options().getValue(k);
              String text = v instanceof JsonObject o ? o.encode() : String.valueOf(v);
              all = all.compose(x -> set(unit, experiment, a.job(), k, text));
            }
            yield all;
          }
          case LOG -> log(experiment, a.options().getString("message"));
        };
      }

      @Override
      public Future<?> log(String experiment, String message) {
        return ProfileService.this.log(experiment, message);
      }
    };
  }

  private Future<?> set(String unit, String experiment, String job, String setting, String value) {
    return mqtt.publish(Topics.set(unit, experiment, job, setting), value, 1, false);
  }

  private Future<?> log(String experiment, String message) {
    LOG.info("{}: {}", experiment, message);
    LogMessage m = new LogMessage(message, Jobs.EXPERIMENT_PROFILE, Jobs.EXPERIMENT_PROFILE, "INFO", Instant.now().toString());
    return mqtt.publish(Topics.log(leaderUnit, experiment, Jobs.EXPERIMENT_PROFILE, "info"), m.toBuffer(), 1, false)
        .recover(err -> Future.succeededFuture());
  }

  private void publish(String experiment, JsonObject progress) {
    String state = switch (progress.getString("state")) {
      case "running" -> JobState.READY.wire();
      case "init" -> JobState.INIT.wire();
      default -> JobState.DISCONNECTED.wire();
    };
    mqtt.publish(Topics.job(leaderUnit, experiment, Jobs.EXPERIMENT_PROFILE, "progress"), progress.encode(), 1, true)
        .compose(v -> mqtt.publish(Topics.jobState(leaderUnit, experiment, Jobs.EXPERIMENT_PROFILE), state, 1, true))
        .onFailure(err -> LOG.warn("profile progress not published: {}", err.getMessage()));
  }
}
