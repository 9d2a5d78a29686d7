package io.pioreactor.protocol;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The leader asks a worker to start a job: the args of the {@link Protocol#RUN_JOB} command.
 * {@code options} are the job's settings by name (upstream's {@code --target-rpm 400} is {@code target_rpm});
 * {@code args} are positional flags, kept for upstream compatibility.
 */
public record JobRun(String job, String experiment, JsonObject options, List<String> args) {

  public JsonObject toJson() {
    return new JsonObject().put("job", job).put("experiment", experiment).put("options", options)
        .put("args", new io.vertx.core.json.JsonArray(args));
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
    return new JobRun(job, experiment, Json.optionalObject(o, "options"), Json.strings(o, "args"));
  }
}
