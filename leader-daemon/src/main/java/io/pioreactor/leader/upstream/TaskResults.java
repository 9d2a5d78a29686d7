package io.pioreactor.leader.upstream;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Results of actions answered {@code 202} with a task id, kept for upstream's poll at
 * {@code /unit_api/task_results/<id>}: pending until the action finishes, then succeeded (with its result) or
 * failed (with its error). In memory, the newest {@value #CAPACITY} tasks; a leader restart forgets them.
 */
public final class TaskResults {
  static final int CAPACITY = 1000;

  private final Map<String, JsonObject> tasks = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, JsonObject> eldest) {
      return size() > CAPACITY;
    }
  };

  /** Registers {@code action} and returns its task id at once; its outcome is recorded when it completes. */
  public synchronized String track(Future<JsonObject> action) {
    String id = UUID.randomUUID().toString();
    tasks.put(id, null);
    action.onComplete(ar -> record(id, ar.succeeded() ? ar.result() : null, ar.failed() ? ar.cause() : null));
    return id;
  }

  private synchronized void record(String id, JsonObject result, Throwable error) {
    JsonObject o = new JsonObject();
    if (error == null) {
      o.put("status", "succeeded").put("result", result);
    } else {
      o.put("status", "failed").put("error", String.valueOf(error.getMessage()))
          .put("cause", "the action failed on the leader").put("remediation", "Check the leader's log and retry.");
    }
    tasks.put(id, o);
  }

  /** Empty when the id is unknown; a JSON with {@code status: "pending"} while running. */
  public synchronized Optional<JsonObject> get(String id) {
    if (!tasks.containsKey(id)) {
      return Optional.empty();
    }
    JsonObject base = new JsonObject().put("task_id", id).put("result_url_path", path(id));
    JsonObject done = tasks.get(id);
    return Optional.of(done == null ? base.put("status", "pending") : base.mergeIn(done));
  }

  public static String path(String id) {
    return "/unit_api/task_results/" + id;
  }
}
