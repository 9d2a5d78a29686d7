package io.pioreactor.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Strict readers for network JSON: wrong types are a {@link MalformedMessageException}, never a crash. */
final class Json {
  private Json() {}

  static JsonObject object(Buffer payload) {
    try {
      Object v = payload.toJsonValue();
      if (v instanceof JsonObject o) {
        return o;
      }
    } catch (DecodeException | IllegalStateException e) {
      throw new MalformedMessageException("payload is not JSON: " + e.getMessage());
    }
    throw new MalformedMessageException("payload is not a JSON object");
  }

  static String requiredString(JsonObject o, String key) {
    String s = optionalString(o, key);
    if (s == null) {
      throw new MalformedMessageException("'" + key + "' is required");
    }
    return s;
  }

  static String optionalString(JsonObject o, String key) {
    Object v = o.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new MalformedMessageException("'" + key + "' must be a string");
    }
    return s;
  }

  static boolean bool(JsonObject o, String key, boolean dflt) {
    Object v = o.getValue(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Number n && (n.intValue() == 0 || n.intValue() == 1) && n.doubleValue() == n.intValue()) {
      return n.intValue() == 1;
    }
    throw new MalformedMessageException("'" + key + "' must be true/false or 0/1");
  }

  static List<String> strings(JsonObject o, String key) {
    Object v = o.getValue(key);
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (!(v instanceof JsonArray a)) {
      throw new MalformedMessageException("'" + key + "' must be a list");
    }
    for (Object e : a) {
      if (!(e instanceof String s)) {
        throw new MalformedMessageException("'" + key + "' must hold strings");
      }
      out.add(s);
    }
    return out;
  }

  static JsonObject requiredObject(JsonObject o, String key) {
    if (o.getValue(key) == null) {
      throw new MalformedMessageException("'" + key + "' is required");
    }
    return optionalObject(o, key);
  }

  static JsonObject optionalObject(JsonObject o, String key) {
    Object v = o.getValue(key);
    if (v == null) {
      return new JsonObject();
    }
    if (!(v instanceof JsonObject j)) {
      throw new MalformedMessageException("'" + key + "' must be an object");
    }
    return j;
  }
}
