package io.pioreactor.protocol;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The leader asks a worker to start a job: the args of the {@link Protocol#RUN_JOB} command.
 * {@code options} are the job's settings by name (upstream's {@code --target-rpm 400} is {@code target_rpm});
 * {@code args} are positional flags, kept for upstream compatibility.
 */
public record JobRun(String job, String experiment, JsonObject options, List<String> args, String source) {
  /** Who started a job when nobody says (upstream's {@code JOB_SOURCE} of a person's request). */
  public static final String USER = "user";
  /** Upstream's job source of the jobs an experiment profile starts. */
  public static final String EXPERIMENT_PROFILE = "experiment_profile";

  public JobRun(String job, String experiment, JsonObject options, List<String> args) {
    this(job, experiment, options, args, null);
  }

  /** Who started it ({@code source}, upstream's {@code job_source}): {@link #USER} when not said. */
  public String sourceOrUser() {
    return source == null ? USER : source;
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("job", job).put("experiment", experiment).put("options", options)
        .put("args", new io.vertx.core.json.JsonArray(args));
    return source == null ? o : o.put("source", source);
  }

  /** Throws MalformedMessageException for a wrong shape or a bad job/experiment name. */
  public static JobRun fromJson(JsonObject o) {
    String job = Json.requiredString(o, "job");
    String experiment = Json.requiredString(o, "experiment");
    Jobs.jobNameProblem(job).ifPresent(p -> {
      throw new MalformedMessageException(p);
    });
    // A job of the unit itself (the self test) may run under $experiment; every other job under an experiment's name.
    if (!(Jobs.isUnitLevel(job) && Topics.UNIT_LEVEL.equals(experiment))) {
      Names.experimentNameProblem(experiment).ifPresent(p -> {
        throw new MalformedMessageException(p);
      });
    }
    String source = Json.optionalString(o, "source");
    Jobs.jobSourceProblem(source).ifPresent(p -> {
      throw new MalformedMessageException(p);
    });
    return new JobRun(job, experiment, Json.optionalObject(o, "options"), Json.strings(o, "args"), source);
  }
}
