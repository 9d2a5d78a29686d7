package io.pioreactor.protocol;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The leader asks a worker to stop jobs: the args of the {@link Protocol#STOP_JOBS} command. {@code job} and
 * {@code experiment} narrow it (null matches any). Stopping everything must be said ({@code "all": true}): a
 * message that merely lacks both fields is malformed, so no stray or garbled command halts a running experiment.
 */
public record JobStop(String job, String experiment, String source) {
  private static final Set<String> KEYS = Set.of("job", "experiment", "job_source", "all");

  /** {@code source} (upstream's {@code job_source}): only jobs started by it ({@link JobRun#source()}); null: any. */
  public JobStop(String job, String experiment) {
    this(job, experiment, null);
  }

  public static JobStop all() {
    return new JobStop(null, null, null);
  }

  public boolean isAll() {
    return job == null && experiment == null && source == null;
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    if (job != null) {
      o.put("job", job);
    }
    if (experiment != null) {
      o.put("experiment", experiment);
    }
    if (source != null) {
      o.put("job_source", source);
    }
    return isAll() ? o.put("all", true) : o;
  }

  /** Throws MalformedMessageException for unknown keys, wrong types, or a stop of everything not said outright. */
  public static JobStop fromJson(JsonObject o) {
    for (String key : o.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new MalformedMessageException("unknown field '" + key + "' (expected job, experiment, job_source or all)");
      }
    }
    String job = Json.optionalString(o, "job");
    String experiment = Json.optionalString(o, "experiment");
    String source = Json.optionalString(o, "job_source");
    Jobs.jobSourceProblem(source).ifPresent(p -> {
      throw new MalformedMessageException(p);
    });
    boolean all = Json.bool(o, "all", false);
    // Leaders before JobStop sent both keys as null for "everything": still understood (it is explicit, not absent).
    boolean legacyAll = o.containsKey("job") && o.containsKey("experiment") && o.getValue("job") == null
        && o.getValue("experiment") == null;
    if (job == null && experiment == null && source == null && !all && !legacyAll) {
      throw new MalformedMessageException("say which jobs to stop: 'job', 'experiment', 'job_source', or \"all\": true");
    }
    if (all && (job != null || experiment != null || source != null)) {
      throw new MalformedMessageException("\"all\": true stops everything: give no 'job', 'experiment' or 'job_source' with it");
    }
    return new JobStop(job, experiment, source);
  }
}
