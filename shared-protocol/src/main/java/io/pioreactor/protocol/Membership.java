package io.pioreactor.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * What the leader has decided about one worker, published retained on {@link Topics#assignment(String)}.
 * A superset of upstream's assignment payload ({@code pioreactor_unit, experiment, assigned_at,
 * updated_at}) plus {@code is_active} and {@code in_inventory}. A removed worker's membership says
 * {@code in_inventory: false}; an empty payload is read the same way.
 * Because it is retained, a worker that reconnects learns its status before anything else.
 */
public record Membership(String unit, boolean isActive, String experiment, String assignedAt, String updatedAt,
                         boolean inInventory) {

  public Membership(String unit, boolean isActive, String experiment, String assignedAt, String updatedAt) {
    this(unit, isActive, experiment, assignedAt, updatedAt, true);
  }

  /**
   * A worker that left the inventory. Retained like any membership, so a worker that was away when it was
   * removed learns it on return (an empty payload would just delete the topic, and it would hear nothing).
   */
  public static Membership removed(String unit, String updatedAt) {
    return new Membership(unit, false, null, null, updatedAt, false);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("pioreactor_unit", unit)
        .put("is_active", isActive ? 1 : 0)
        .put("experiment", experiment)
        .put("assigned_at", assignedAt)
        .put("updated_at", updatedAt)
        .put("in_inventory", inInventory);
  }

  /** The same decision about the worker, whenever it was published ({@code updated_at} aside). */
  public boolean sameDecision(Membership other) {
    return other != null && unit.equals(other.unit) && isActive == other.isActive && inInventory == other.inInventory
        && java.util.Objects.equals(experiment, other.experiment) && java.util.Objects.equals(assignedAt, other.assignedAt);
  }

  public Buffer toBuffer() {
    return toJson().toBuffer();
  }

  public static Membership fromBuffer(Buffer payload) {
    JsonObject o = Json.object(payload);
    return new Membership(
        Json.requiredString(o, "pioreactor_unit"),
        Json.bool(o, "is_active", true),
        Json.optionalString(o, "experiment"),
        Json.optionalString(o, "assigned_at"),
        Json.optionalString(o, "updated_at"),
        Json.bool(o, "in_inventory", true));
  }
}
