package io.pioreactor.leader.api;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Strict reading of request bodies: anything but the expected shape is a 400 naming the problem. */
final class Bodies {
  private Bodies() {}

  static JsonObject object(RoutingContext ctx) {
    String text = ctx.body() == null ? null : ctx.body().asString();
    if (text == null || text.isBlank()) {
      throw ApiException.badRequest("a JSON object body is required");
    }
    Object v;
    try {
      v = io.vertx.core.json.Json.decodeValue(text);
    } catch (DecodeException e) {
      throw ApiException.badRequest("the body is not valid JSON");
    }
    if (!(v instanceof JsonObject o)) {
      throw ApiException.badRequest("the body must be a JSON object");
    }
    return o;
  }

  static String string(JsonObject o, String key, boolean required) {
    Object v = o.getValue(key);
    if (v == null) {
      if (required) {
        throw ApiException.badRequest("'" + key + "' is required");
      }
      return null;
    }
    if (!(v instanceof String s)) {
      throw ApiException.badRequest("'" + key + "' must be a string");
    }
    return s;
  }

  /** Upstream sends {@code is_active} as 0/1; true/false is accepted too. Anything else is refused. */
  static boolean zeroOrOne(JsonObject o, String key) {
    Object v = o.getValue(key);
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Number n && n.doubleValue() == n.intValue() && (n.intValue() == 0 || n.intValue() == 1)) {
      return n.intValue() == 1;
    }
    throw ApiException.badRequest("'" + key + "' must be 0 or 1");
  }
}
