package io.pioreactor.protocol.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks JSON against the hand-written schemas in {@code shared-protocol/src/test/resources/upstream/schemas.json} (upstream's
 * shapes, written by hand from upstream's code, not derived from ours): a small
 * subset of JSON Schema (type, required, properties, items, enum, const, minItems, minLength, anyOf,
 * additionalProperties: false, additionalProperties as a schema for the values of a map such as {@code {unit: label}},
 * and {@code $ref} to another named schema in that file).
 */
public final class JsonSchemas {
  private final JsonObject all;

  public JsonSchemas() {
    try (InputStream in = JsonSchemas.class.getResourceAsStream("/upstream/schemas.json")) {
      all = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The problems found, empty when {@code value} has the shape named {@code name}. */
  public List<String> check(String name, Object value) {
    List<String> problems = new ArrayList<>();
    check(schema(name), value, "$", problems);
    return problems;
  }

  private JsonObject schema(String name) {
    JsonObject s = all.getJsonObject(name);
    if (s == null) {
      throw new IllegalArgumentException("no schema " + name);
    }
    return s;
  }

  private void check(JsonObject s, Object v, String at, List<String> problems) {
    if (s.containsKey("$ref")) {
      check(schema(s.getString("$ref")), v, at, problems);
      return;
    }
    if (s.containsKey("anyOf")) {
      for (Object alt : s.getJsonArray("anyOf")) {
        List<String> p = new ArrayList<>();
        check((JsonObject) alt, v, at, p);
        if (p.isEmpty()) {
          return;
        }
      }
      problems.add(at + ": matches none of " + s.getJsonArray("anyOf").encode());
      return;
    }
    if (s.containsKey("type")) {
      Object t = s.getValue("type");
      List<Object> types = t instanceof JsonArray a ? a.getList() : List.of(t);
      if (types.stream().noneMatch(x -> isType(String.valueOf(x), v))) {
        problems.add(at + ": expected " + types + ", got " + describe(v));
        return;
      }
    }
    if (s.containsKey("const") && !s.getValue("const").equals(v)) {
      problems.add(at + ": expected " + s.getValue("const") + ", got " + describe(v));
    }
    if (s.containsKey("enum") && s.getJsonArray("enum").stream().noneMatch(e -> equal(e, v))) {
      problems.add(at + ": " + describe(v) + " is not one of " + s.getJsonArray("enum").encode());
    }
    if (v instanceof String str && s.containsKey("minLength") && str.length() < s.getInteger("minLength")) {
      problems.add(at + ": shorter than " + s.getInteger("minLength"));
    }
    if (v instanceof JsonObject o) {
      for (Object req : s.getJsonArray("required", new JsonArray())) {
        if (!o.containsKey((String) req)) {
          problems.add(at + ": missing '" + req + "'");
        }
      }
      JsonObject props = s.getJsonObject("properties", new JsonObject());
      for (String k : o.fieldNames()) {
        if (props.containsKey(k)) {
          check(props.getJsonObject(k), o.getValue(k), at + "." + k, problems);
        } else if (s.getValue("additionalProperties") instanceof JsonObject rest) {
          check(rest, o.getValue(k), at + "." + k, problems);
        } else if (Boolean.FALSE.equals(s.getValue("additionalProperties"))) {
          problems.add(at + ": unexpected '" + k + "'");
        }
      }
    }
    if (v instanceof JsonArray a) {
      if (s.containsKey("minItems") && a.size() < s.getInteger("minItems")) {
        problems.add(at + ": fewer than " + s.getInteger("minItems") + " items");
      }
      if (s.containsKey("items")) {
        for (int i = 0; i < a.size(); i++) {
          check(s.getJsonObject("items"), a.getValue(i), at + "[" + i + "]", problems);
        }
      }
    }
  }

  private static boolean equal(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return x.doubleValue() == y.doubleValue() && isType("integer", b) == isType("integer", a);
    }
    return a == null ? b == null : a.equals(b);
  }

  private static boolean isType(String type, Object v) {
    return switch (type) {
      case "null" -> v == null;
      case "string" -> v instanceof String;
      case "boolean" -> v instanceof Boolean;
      case "integer" -> v instanceof Integer || v instanceof Long || v instanceof java.math.BigInteger;
      case "number" -> v instanceof Number;
      case "object" -> v instanceof JsonObject;
      case "array" -> v instanceof JsonArray;
      default -> throw new IllegalArgumentException("unknown type " + type);
    };
  }

  private static String describe(Object v) {
    return v == null ? "null" : v.getClass().getSimpleName() + " " + v;
  }
}
