package io.pioreactor.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a unit says of its cluster configuration, retained on {@link Topics#configStatus}: the version it runs
 * ({@code applied}), or the one it refused and why ({@code refused}: it keeps running the one before), and the jobs
 * still running with an older version (they keep what they started with):
 * {@code {"version", "status": "applied"|"refused", "reason", "running_version", "at", "jobs_on_older": {"<job>": "<version>"}}}.
 */
public record ConfigStatus(String version, String status, String reason, String runningVersion, String at,
                           Map<String, String> jobsOnOlder) {
  public static final String APPLIED = "applied";
  public static final String REFUSED = "refused";
  /** In {@code jobs_on_older}: a job started before the unit had any cluster configuration (its own file's values). */
  public static final String NO_VERSION = "none";
  private static final int MAX_JOBS = 64;
  private static final int MAX_REASON = 2_000;

  public ConfigStatus {
    if (version == null || !version.matches("[0-9a-f]{" + ConfigDelivery.VERSION_LENGTH + "}")) {
      throw new MalformedMessageException("'version' must be " + ConfigDelivery.VERSION_LENGTH + " hex digits");
    }
    if (!APPLIED.equals(status) && !REFUSED.equals(status)) {
      throw new MalformedMessageException("'status' must be applied or refused");
    }
    if (reason != null && reason.length() > MAX_REASON) {
      reason = reason.substring(0, MAX_REASON) + "…";
    }
    if (runningVersion != null && !runningVersion.matches("[0-9a-f]{" + ConfigDelivery.VERSION_LENGTH + "}")) {
      throw new MalformedMessageException("'running_version' must be " + ConfigDelivery.VERSION_LENGTH + " hex digits");
    }
    jobsOnOlder = jobsOnOlder == null ? Map.of() : Map.copyOf(jobsOnOlder);
    if (jobsOnOlder.size() > MAX_JOBS) {
      throw new MalformedMessageException("'jobs_on_older' has at most " + MAX_JOBS + " jobs");
    }
    // (versions, like the others: any other text would reach the page and the CLI as a version)
    if (jobsOnOlder.values().stream().anyMatch(v -> !v.equals(NO_VERSION) && !v.matches("[0-9a-f]{" + ConfigDelivery.VERSION_LENGTH + "}"))) {
      throw new MalformedMessageException("'jobs_on_older' maps job names to versions (" + ConfigDelivery.VERSION_LENGTH
          + " hex digits, or " + NO_VERSION + ")");
    }
  }

  public JsonObject toJson() {
    JsonObject jobs = new JsonObject();
    new java.util.TreeMap<>(jobsOnOlder).forEach(jobs::put);
    return new JsonObject().put("version", version).put("status", status).put("reason", reason)
        .put("running_version", runningVersion).put("at", at).put("jobs_on_older", jobs);
  }

  public Buffer toBuffer() {
    return toJson().toBuffer();
  }

  public static ConfigStatus fromBuffer(Buffer b) {
    JsonObject o = Json.object(b);
    Map<String, String> jobs = new LinkedHashMap<>();
    Json.optionalObject(o, "jobs_on_older").forEach(e -> {
      if (!(e.getValue() instanceof String v) || Jobs.jobNameProblem(e.getKey()).isPresent()) {
        throw new MalformedMessageException("'jobs_on_older' maps job names to versions");
      }
      jobs.put(e.getKey(), v);
    });
    return new ConfigStatus(Json.requiredString(o, "version"), Json.requiredString(o, "status"),
        Json.optionalString(o, "reason"), Json.optionalString(o, "running_version"), Json.optionalString(o, "at"), jobs);
  }
}
