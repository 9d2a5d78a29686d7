package io.pioreactor.leader.api;

import io.vertx.core.json.JsonObject;

/**
 * A refusal a person can act on: an HTTP status, a message, and where known the step that failed,
 * its cause and what to try. Services fail their futures with it; one failure handler renders it.
 */
public class ApiException extends RuntimeException {
  private final int status;
  private final String step;
  private final String reason;
  private final String remediation;

  public ApiException(int status, String message) {
    this(status, message, null, null, null);
  }

  public ApiException(int status, String message, String step, String reason, String remediation) {
    super(message);
    this.status = status;
    this.step = step;
    this.reason = reason;
    this.remediation = remediation;
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, message);
  }

  public static ApiException conflict(String message) {
    return new ApiException(409, message);
  }

  /** A unit did not answer in time. */
  public static ApiException timeout(String message) {
    return new ApiException(504, message);
  }

  public int status() {
    return status;
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("error", getMessage()).put("status", status);
    if (step != null) {
      o.put("step", step);
    }
    if (reason != null) {
      o.put("cause", reason);
    }
    if (remediation != null) {
      o.put("remediation", remediation);
    }
    return o;
  }
}
