package io.pioreactor.leader.inventory;

import io.pioreactor.leader.cluster.LiveUnits;
import io.vertx.core.json.JsonObject;

/** A worker as the API shows it: the database row joined with what the leader hears live. */
public final class WorkerViews {
  private final LiveUnits live;
  private final String leaderUnit;

  /** Each unit's {@code clock} object (offset from the leader's), null when unmeasured. */
  private java.util.function.Function<String, JsonObject> clocks = u -> null;

  public WorkerViews clocks(java.util.function.Function<String, JsonObject> clocks) {
    this.clocks = clocks;
    return this;
  }

  public WorkerViews(LiveUnits live, String leaderUnit) {
    this.live = live;
    this.leaderUnit = leaderUnit;
  }

  private java.util.function.Function<String, JsonObject> health = u -> null;

  /** Each unit's {@code health} in its view: figures and warnings (null when nothing is known). */
  public WorkerViews health(java.util.function.Function<String, JsonObject> h) {
    this.health = h;
    return this;
  }

  public JsonObject view(WorkerRow row) {
    JsonObject o = row.toJson()
        .put("state", null)
        .put("versions", null)
        .put("wlan_mac_address", null)
        .put("eth_mac_address", null)
        .put("last_seen", null)
        .put("ready_since", null)
        .put("activities", new io.vertx.core.json.JsonArray())
        .put("is_leader", row.unit().equals(leaderUnit))
        .put("health", health.apply(row.unit()))

        .put("clock", clocks.apply(row.unit()));
    live.get(row.unit()).ifPresent(s -> s.writeTo(o));
    return o;
  }

  /** Whether the unit has published anything on the broker (a worker not yet added, say). */
  /** A unit whose worker daemon is connected now (its monitor says ready): identify can reach its LED. */
  public boolean seenOnBroker(String unit) {
    return live.get(unit).map(s -> "ready".equals(s.state())).orElse(false);
  }

  /** The model the unit's worker daemon reports ({@code monitor/model}): [name, version], or empty. */
  public java.util.Optional<String[]> reportedModel(String unit) {
    return live.get(unit).map(s -> s.model())
        .filter(m -> m != null && m.getString("model_name") != null && m.getString("model_version") != null)
        .map(m -> new String[] {m.getString("model_name"), m.getString("model_version")});
  }

  public String leaderUnit() {
    return leaderUnit;
  }
}
