package io.pioreactor.leader.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The Health column of {@code pio workers status}: {@code ok}, the warnings in short words, or {@code -} when unknown. */
final class HealthText {
  private HealthText() {}

  static String of(JsonObject worker) {
    Object h = worker.getValue("health");
    if (!(h instanceof JsonObject health)) {
      return "-";
    }
    JsonArray ws = health.getJsonArray("warnings", new JsonArray());
    if (ws.isEmpty()) {
      return "ok";
    }
    StringBuilder sb = new StringBuilder();
    for (Object o : ws) {
      if (o instanceof JsonObject w) {
        sb.append(sb.length() == 0 ? "" : "; ").append(w.getString("short", w.getString("check", "?")));
      }
    }
    return sb.toString();
  }
}
