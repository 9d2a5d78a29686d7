package io.pioreactor.leader.health;

import io.vertx.core.json.JsonObject;

/**
 * One thing wrong with a unit, in plain words: {@code check} names the rule ({@code disk}, {@code cpu_temperature},
 * {@code clock_offset}, {@code hat}, {@code backup}, {@code health_stale}), {@code message} says it whole ("disk 4 %
 * free on /var/lib/pioreactor (below 10 %)"), {@code short} in a few words for a table cell ("disk 4 % free").
 */
public record HealthWarning(String check, String message, String shortText) {
  public JsonObject toJson() {
    return new JsonObject().put("check", check).put("message", message).put("short", shortText);
  }
}
