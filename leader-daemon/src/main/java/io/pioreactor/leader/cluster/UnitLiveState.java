package io.pioreactor.leader.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** What the leader has heard from one unit on its monitor and job topics. Mutable; owned by {@link LiveUnits}. */
public final class UnitLiveState {
  String state;
  String ipv4;
  JsonObject versions;
  String wlanMac;
  String ethMac;
  JsonObject model;
  Instant lastSeen;
  Instant readySince;
  /** Jobs running now: "experiment/job" → state (init, ready, sleeping). Bounded by {@link LiveUnits#MAX_JOBS_PER_UNIT}. */
  final Map<String, String> jobs = new TreeMap<>();
  /** When the leader first heard each running job (upstream's {@code started_at}). */
  final Map<String, Instant> jobStarted = new TreeMap<>();
  /**
   * Settings each job has published: "experiment/job" → name → value (decoded JSON, or the text); readings (OD, growth
   * rate, …) are tracked by name only, with a null value: the page draws them from the readings stream. Bounded like
   * {@link #jobs}.
   */
  final Map<String, Map<String, Object>> settings = new TreeMap<>();
  /** The self test: running or not, and the last run's results (kept after it ends). */
  final SelfTestState selfTest = new SelfTestState();

  public String state() {
    return state;
  }

  public String ipv4() {
    return ipv4;
  }

  public JsonObject model() {
    return model;
  }

  public JsonArray activities() {
    var out = new JsonArray();
    jobs.forEach((key, st) -> {
      int slash = key.indexOf('/');
      JsonObject values = new JsonObject();
      settings.getOrDefault(key, Map.of()).forEach((name, value) -> {
        if (value != null) {
          // A copy: the answer is encoded later, and the live value must not be changed through it.
          values.put(name, value instanceof JsonObject o ? o.copy() : value instanceof JsonArray a ? a.copy() : value);
        }
      });
      out.add(new JsonObject().put("experiment", key.substring(0, slash)).put("job", key.substring(slash + 1)).put("state", st)
          .put("settings", values));
    });
    return out;
  }

  /**
   * The running jobs as upstream's unit API lists them (pio_job_metadata rows). Our jobs run inside the worker daemon:
   * there is no process per job, so {@code pid} is 0; {@code started_at} is when the leader first heard the job.
   */
  public JsonArray jobMetadata(String unit, String leader) {
    var out = new JsonArray();
    jobs.forEach((key, st) -> {
      int slash = key.indexOf('/');
      Instant started = jobStarted.getOrDefault(key, Instant.EPOCH);
      out.add(new JsonObject().put("job_id", Math.abs((long) (unit + "/" + key + "/" + started).hashCode()))
          .put("unit", unit).put("experiment", key.substring(0, slash)).put("job_name", key.substring(slash + 1))
          .put("job_source", "user").put("started_at", started.toString()).put("is_running", 1).put("leader", leader)
          .put("pid", 0).put("is_long_running_job", 0).put("ended_at", null));
    });
    return out;
  }

  /** The live part of a worker's JSON row. */
  public void writeTo(JsonObject row) {
    row.put("state", state)
        .put("versions", versions)
        .put("wlan_mac_address", wlanMac)
        .put("eth_mac_address", ethMac)
        .put("last_seen", lastSeen == null ? null : lastSeen.toString())
        .put("ready_since", readySince == null ? null : readySince.toString())
        .put("activities", activities())
        .put("self_test", selfTest.isEmpty() ? null : selfTest.toJson());
    if (ipv4 != null && !ipv4.isEmpty()) {
      row.put("ipv4_address", ipv4);
    }
  }
}
