package io.pioreactor.leader.cluster;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** What the leader has heard from one unit on its monitor topics. Mutable; owned by {@link LiveUnits}. */
public final class UnitLiveState {
  String state;
  String ipv4;
  JsonObject versions;
  String wlanMac;
  String ethMac;
  JsonObject model;
  Instant lastSeen;
  Instant readySince;
  /** Jobs running now: "experiment/job" → state (init, ready, sleeping). */
  final java.util.Map<String, String> jobs = new java.util.TreeMap<>();

  public String state() {
    return state;
  }

  public String ipv4() {
    return ipv4;
  }

  public JsonObject model() {
    return model;
  }

  public io.vertx.core.json.JsonArray activities() {
    var out = new io.vertx.core.json.JsonArray();
    jobs.forEach((key, st) -> {
      int slash = key.indexOf('/');
      out.add(new JsonObject().put("experiment", key.substring(0, slash)).put("job", key.substring(slash + 1)).put("state", st));
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
        .put("activities", activities());
    if (ipv4 != null && !ipv4.isEmpty()) {
      row.put("ipv4_address", ipv4);
    }
  }
}
