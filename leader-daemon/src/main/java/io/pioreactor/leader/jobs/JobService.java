package io.pioreactor.leader.jobs;

import io.pioreactor.leader.api.ApiException;
import io.pioreactor.leader.cluster.CommandClient;
import io.pioreactor.leader.cluster.LiveUnits;
import io.pioreactor.leader.experiments.ExperimentRepository;
import io.pioreactor.leader.inventory.WorkerRepository;
import io.pioreactor.leader.inventory.WorkerRow;
import io.pioreactor.protocol.CommandReply;
import io.pioreactor.protocol.JobRun;
import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Names;
import io.pioreactor.protocol.Protocol;
import io.pioreactor.protocol.Topics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs and stops jobs on workers. The leader checks what it knows (in the inventory, active, assigned to the
 * experiment) and says why it refuses; the worker checks again itself, because it is the one that must never run
 * a job while inactive. {@code $broadcast} means the active workers assigned to the experiment.
 */
public final class JobService {
  private static final Duration RUN_WAIT = Duration.ofSeconds(15);
  private static final Duration STOP_WAIT = Duration.ofSeconds(10);

  private final WorkerRepository workers;
  private final ExperimentRepository experiments;
  private final CommandClient commands;
  private final LiveUnits live;
  private final io.pioreactor.protocol.mqtt.MqttConnection mqtt;
  /** Settings in one update request: a job has few (upstream's have at most a dozen). */
  static final int MAX_SETTINGS = 32;
  static final int MAX_VALUE_CHARS = 4_096;

  public JobService(WorkerRepository workers, ExperimentRepository experiments, CommandClient commands, LiveUnits live,
                    io.pioreactor.protocol.mqtt.MqttConnection mqtt) {
    this.mqtt = mqtt;
    this.workers = workers;
    this.experiments = experiments;
    this.commands = commands;
    this.live = live;
  }

  /** One unit: its answer, or a 4xx/504 that says why not. */
  public Future<JsonObject> run(String unit, String job, String experiment, JsonObject options, List<String> args) {
    return run(unit, job, experiment, options, args, null);
  }

  /** {@code source}: who starts it (upstream's {@code job_source}; null: a person, {@code user}). */
  public Future<JsonObject> run(String unit, String job, String experiment, JsonObject options, List<String> args, String source) {
    boolean ofUnit = unitLevel(job, experiment);
    return checkNames(unit, job, ofUnit ? null : experiment)
        .compose(v -> ofUnit ? Future.succeededFuture() : experimentExists(experiment))
        .compose(v -> workers.find(unit))
        .compose(row -> {
          if (row.isEmpty()) {
            return Future.failedFuture(ApiException.notFound(unit + " is not in the inventory"));
          }
          String why = ofUnit ? (row.get().isActive() ? null : unit + " is inactive; inactive workers run no activities")
              : whyNot(row.get(), experiment);
          if (why != null) {
            return Future.failedFuture(ApiException.conflict(why));
          }
          return send(unit, new JobRun(job, experiment, options, args, source));
        });
  }

  /** Every active worker assigned to the experiment; inactive ones are skipped and named. */
  public Future<JsonObject> runBroadcast(String job, String experiment, JsonObject options, List<String> args) {
    boolean ofUnit = unitLevel(job, experiment);
    return checkNames(null, job, ofUnit ? null : experiment)
        .compose(v -> ofUnit ? Future.succeededFuture() : experimentExists(experiment))
        .compose(v -> workers.all())
        .compose(rows -> {
          JsonArray skipped = new JsonArray();
          List<String> targets = new ArrayList<>();
          for (WorkerRow r : rows) {
            if (!ofUnit && !experiment.equals(r.experiment())) {
              continue;
            }
            if (!r.isActive()) {
              skipped.add(new JsonObject().put("pioreactor_unit", r.unit()).put("reason", "inactive"));
            } else {
              targets.add(r.unit());
            }
          }
          List<Future<JsonObject>> answers = new ArrayList<>();
          JobRun run = new JobRun(job, experiment, options, args);
          for (String u : targets) {
            answers.add(send(u, run).map(r -> r.put("status", "started"))
                .recover(err -> Future.succeededFuture(new JsonObject().put("pioreactor_unit", u).put("status", "failed")
                    .put("error", err.getMessage()))));
          }
          return Future.join(answers).map(v -> {
            JsonArray started = new JsonArray();
            JsonArray failed = new JsonArray();
            answers.forEach(f -> ("started".equals(f.result().getString("status")) ? started : failed).add(f.result()));
            return new JsonObject().put("job", job).put("experiment", experiment).put("started", started)
                .put("failed", failed).put("skipped", skipped);
          });
        });
  }

  /** Stops {@code job} (null: every job) of {@code experiment} on one unit or on every worker assigned to it. */
  public Future<JsonObject> stop(String target, String job, String experiment) {
    return stop(target, job, experiment, null);
  }

  /** {@code source}: only the jobs it started (upstream's {@code job_source}, e.g. {@code experiment_profile}); null: any. */
  public Future<JsonObject> stop(String target, String job, String experiment, String source) {
    if (source != null && Jobs.jobSourceProblem(source).isPresent()) {
      return Future.failedFuture(ApiException.badRequest("invalid job_source: " + Jobs.jobSourceProblem(source).get()));
    }
    if (job != null && Jobs.jobNameProblem(job).isPresent()) {
      return Future.failedFuture(ApiException.badRequest("invalid job name: " + Jobs.jobNameProblem(job).get()));
    }
    if (experiment != null && Names.experimentNameProblem(experiment).isPresent()) {
      return Future.failedFuture(ApiException.badRequest("invalid experiment name: " + Names.experimentNameProblem(experiment).get()));
    }
    Future<List<String>> units;
    if (Topics.BROADCAST.equals(target)) {
      // Inactive workers run nothing, but asking them too costs nothing and catches one that missed a halt.
      units = workers.all().map(rows -> rows.stream()
          .filter(r -> experiment == null || experiment.equals(r.experiment())).map(WorkerRow::unit).toList());
    } else {
      if (Names.unitNameProblem(target).isPresent()) {
        return Future.failedFuture(ApiException.badRequest("invalid unit name: " + Names.unitNameProblem(target).get()));
      }
      units = workers.find(target).compose(row -> row.isPresent() ? Future.succeededFuture(List.of(target))
          : Future.failedFuture(ApiException.notFound(target + " is not in the inventory")));
    }
    JsonObject args = new io.pioreactor.protocol.JobStop(job, experiment, source).toJson();
    return units.compose(list -> {
      List<Future<JsonObject>> answers = new ArrayList<>();
      for (String u : list) {
        answers.add(commands.request(u, Protocol.STOP_JOBS, args, STOP_WAIT)
            .map(r -> new JsonObject().put("pioreactor_unit", u).put("stopped", r.result().getJsonArray("stopped", new JsonArray())))
            .recover(err -> Future.succeededFuture(new JsonObject().put("pioreactor_unit", u).put("error", err.getMessage()))));
      }
      return Future.join(answers).map(v -> {
        JsonArray results = new JsonArray();
        answers.forEach(f -> results.add(f.result()));
        return new JsonObject().put("status", "success").put("results", results);
      });
    });
  }

  /**
   * Upstream's job update: each setting goes to the job as {@code …/<setting>/set} (the leader is the only one who may
   * publish there); {@code $state} pauses ({@code sleeping}), resumes ({@code ready}) or stops ({@code disconnected}).
   * On one unit the job must be running there (the leader says so rather than publish into the void); on
   * {@code $broadcast} every unit's job of that name in the experiment hears it. The worker applies or refuses each
   * setting itself and says why in its log.
   */
  public Future<JsonObject> update(String unit, String job, String experiment, JsonObject settings) {
    boolean broadcast = Topics.BROADCAST.equals(unit);
    return checkNames(broadcast ? null : unit, job, experiment).compose(v -> {
      if (settings == null || settings.isEmpty()) {
        return Future.failedFuture(new ApiException(400, "'settings' must name at least one setting", null,
            "nothing to change", "send {\"settings\": {\"target_rpm\": 300}}"));
      }
      if (settings.size() > MAX_SETTINGS) {
        return Future.failedFuture(ApiException.badRequest("at most " + MAX_SETTINGS + " settings at once"));
      }
      List<String[]> sets = new ArrayList<>();
      for (var e : settings) {
        if (!SETTING.matcher(e.getKey()).matches()) {
          return Future.failedFuture(ApiException.badRequest("'" + printable(e.getKey()) + "' is not a setting name"));
        }
        Object value = e.getValue();
        String payload = value instanceof String str ? str : value instanceof JsonObject || value instanceof JsonArray
            ? io.vertx.core.json.Json.encode(value) : String.valueOf(value);
        if (value instanceof Double d && !Double.isFinite(d)) {
          return Future.failedFuture(ApiException.badRequest("'" + e.getKey() + "' must be a finite number"));
        }
        if (value == null || payload.length() > MAX_VALUE_CHARS) {
          return Future.failedFuture(ApiException.badRequest("'" + e.getKey() + "' needs a value of at most " + MAX_VALUE_CHARS + " characters"));
        }
        if (Topics.STATE.equals(e.getKey()) && !List.of("sleeping", "ready", "disconnected").contains(payload)) {
          return Future.failedFuture(ApiException.badRequest("$state can be set to sleeping (pause), ready (resume) or disconnected (stop), not '"
              + printable(payload) + "'"));
        }
        sets.add(new String[] {e.getKey(), payload});
      }
      if (!broadcast) {
        boolean running = live.get(unit).map(s -> s.activities().stream()
            .anyMatch(a -> ((JsonObject) a).getString("job").equals(job) && ((JsonObject) a).getString("experiment").equals(experiment)))
            .orElse(false);
        if (!running) {
          return Future.failedFuture(new ApiException(404, job + " is not running on " + unit + " in " + experiment, null,
              "only a running job takes new settings", "start it first: POST /api/workers/" + unit + "/jobs/run/job_name/" + job
                  + "/experiments/" + experiment));
        }
      }
      Future<Void> all = Future.succeededFuture();
      for (String[] s : sets) {
        all = all.compose(x -> mqtt.publish(Topics.set(unit, experiment, job, s[0]), s[1], 1, false).mapEmpty());
      }
      return all.map(x -> new JsonObject().put("status", "accepted"))
          .recover(err -> Future.failedFuture(new ApiException(503, "the leader could not send the settings: " + err.getMessage(),
              null, "its broker connection is down", "check GET /api/health and try again")));
    });
  }

  private static final java.util.regex.Pattern SETTING = java.util.regex.Pattern.compile("^\\$?[A-Za-z0-9_]{1,64}$");

  private static String printable(String s) {
    return io.pioreactor.leader.limits.Throttled.printable(s, 64);
  }

  /** Jobs the leader has seen running on a unit (init, ready or sleeping). */
  public Future<JsonArray> running(String unit) {
    if (Names.unitNameProblem(unit).isPresent()) {
      return Future.failedFuture(ApiException.badRequest("invalid unit name: " + Names.unitNameProblem(unit).get()));
    }
    return Future.succeededFuture(live.get(unit).map(s -> s.activities()).orElse(new JsonArray()));
  }

  private Future<JsonObject> send(String unit, JobRun run) {
    return commands.request(unit, Protocol.RUN_JOB, run.toJson(), RUN_WAIT)
        .recover(err -> Future.failedFuture(err instanceof CommandClient.NoReplyException
            ? ApiException.timeout(unit + " did not answer within " + RUN_WAIT.toSeconds() + " s: is it online?")
            : err))
        .compose((CommandReply reply) -> reply.ok()
            ? Future.succeededFuture(reply.result().put("pioreactor_unit", unit))
            : Future.failedFuture("bad_request".equals(reply.result().getString("code"))
                ? ApiException.badRequest(unit + ": " + reply.error())
                : ApiException.conflict(unit + ": " + reply.error())));
  }

  private static String whyNot(WorkerRow row, String experiment) {
    if (!row.isActive()) {
      return row.unit() + " is inactive; inactive workers run no activities";
    }
    if (row.experiment() == null) {
      return row.unit() + " is not assigned to any experiment; assign it to '" + experiment + "' first";
    }
    if (!row.experiment().equals(experiment)) {
      return row.unit() + " is assigned to experiment '" + row.experiment() + "', not '" + experiment + "'";
    }
    return null;
  }

  private Future<Void> experimentExists(String experiment) {
    return experiments.exists(experiment).compose(yes -> yes ? Future.succeededFuture()
        : Future.failedFuture(ApiException.notFound("no experiment named '" + experiment + "'")));
  }

  /** A job of the unit itself asked under {@code $experiment} (upstream's self test dialog): no experiment's rules apply. */
  private static boolean unitLevel(String job, String experiment) {
    return Jobs.isUnitLevel(job) && Topics.UNIT_LEVEL.equals(experiment);
  }

  /** {@code experiment} null: not checked (a unit-level job's {@code $experiment}). */
  private static Future<Void> checkNames(String unit, String job, String experiment) {
    var jobProblem = Jobs.jobNameProblem(job);
    if (jobProblem.isPresent()) {
      return Future.failedFuture(ApiException.badRequest("invalid job name: " + jobProblem.get()));
    }
    var expProblem = experiment == null ? java.util.Optional.<String>empty() : Names.experimentNameProblem(experiment);
    if (expProblem.isPresent()) {
      return Future.failedFuture(ApiException.badRequest("invalid experiment name: " + expProblem.get()));
    }
    if (unit != null && Names.unitNameProblem(unit).isPresent()) {
      return Future.failedFuture(ApiException.badRequest("invalid unit name: " + Names.unitNameProblem(unit).get()));
    }
    return Future.succeededFuture();
  }
}
