package io.pioreactor.leader.inventory;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Inventory changes, published on the Vert.x event bus so the event stream (and anything else) can
 * follow without the inventory knowing who listens.
 */
public final class InventoryEvents {
  public static final String ADDRESS = "pioreactor.inventory.events";
  public static final String WORKER = "worker";
  public static final String WORKER_REMOVED = "worker_removed";
  public static final String EXPERIMENT = "experiment";
  /** What a unit says of its cluster configuration changed: {@code {pioreactor_unit, status}} (as in {@code /api/config/status}). */
  public static final String CONFIG = "config";
  /** Readings just stored: {@code {experiment, readings: [{pioreactor_unit, table, series, x, y}]}}, about once a second. */
  public static final String READINGS = "readings";
  /** Log lines just stored: {@code {lines: [GET /api/logs rows, oldest first], dropped, oldest_dropped_id}}, at most every 250 ms. */
  public static final String LOGS = "logs";

  private final Vertx vertx;

  public InventoryEvents(Vertx vertx) {
    this.vertx = vertx;
  }

  public void emit(String event, JsonObject data) {
    vertx.eventBus().publish(ADDRESS, new JsonObject().put("event", event).put("data", data));
  }
}
