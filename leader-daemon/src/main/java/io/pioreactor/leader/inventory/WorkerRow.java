package io.pioreactor.leader.inventory;

import io.pioreactor.protocol.Membership;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/** One worker as the database has it, with its current assignment. */
public record WorkerRow(String unit, String addedAt, String modelName, String modelVersion, boolean isActive,
                        String ipv4Address, String experiment, String assignedAt) {

  static WorkerRow from(Row r) {
    return new WorkerRow(
        r.getString("pioreactor_unit"),
        r.getString("added_at"),
        r.getString("model_name"),
        r.getString("model_version"),
        r.getInteger("is_active") == 1,
        r.getString("ipv4_address"),
        r.getString("experiment"),
        r.getString("assigned_at"));
  }

  /** Upstream's field names; {@code is_active} as 0/1. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("pioreactor_unit", unit)
        .put("added_at", addedAt)
        .put("is_active", isActive ? 1 : 0)
        .put("model_name", modelName)
        .put("model_version", modelVersion)
        .put("ipv4_address", ipv4Address)
        .put("experiment", experiment)
        .put("assigned_at", assignedAt);
  }

  public Membership membership(String updatedAt) {
    return new Membership(unit, isActive, experiment, assignedAt, updatedAt);
  }
}
