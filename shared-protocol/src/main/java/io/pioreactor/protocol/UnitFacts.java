package io.pioreactor.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Who a unit says it is: its name, addresses, model and versions. A worker answers the leader's
 * handshake with this, so the leader can confirm that the unit it is adding is the one it asked for.
 */
public record UnitFacts(String unit, List<String> ipv4Addresses, String modelName, String modelVersion,
                        JsonObject versions) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("pioreactor_unit", unit)
        .put("ipv4_addresses", new JsonArray(List.copyOf(ipv4Addresses)))
        .put("model_name", modelName)
        .put("model_version", modelVersion)
        .put("versions", versions);
  }

  public static UnitFacts fromJson(JsonObject o) {
    return new UnitFacts(
        Json.requiredString(o, "pioreactor_unit"),
        Json.strings(o, "ipv4_addresses"),
        Json.optionalString(o, "model_name"),
        Json.optionalString(o, "model_version"),
        Json.optionalObject(o, "versions"));
  }

  public static UnitFacts fromBuffer(Buffer b) {
    return fromJson(Json.object(b));
  }
}
