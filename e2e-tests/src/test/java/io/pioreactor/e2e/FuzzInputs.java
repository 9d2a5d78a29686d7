package io.pioreactor.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Random;

/** Values that are wrong for almost every field, and small helpers the fuzzers share. */
final class FuzzInputs {
  private FuzzInputs() {}

  /** Values that are wrong for almost every field: wrong types, huge, unicode, shell metacharacters. */
  static final List<Object> HOSTILE = List.of(0, -1, 1e308, 3.5, Long.MAX_VALUE, true, "", " ", "x".repeat(70_000),
      "x".repeat(300), "é🧪漢字\u202e", "$(reboot)", "; rm -rf / #", "`id`", "../../etc/passwd", "a\u0000b", "a\nb\r\n",
      "%s%n%x", "<script>alert(1)</script>", "NaN", "-Infinity", "1e400", new JsonArray().add(1).add("two"),
      new JsonObject().put("nested", new JsonObject().put("deeper", new JsonArray())), "' OR 1=1; DROP TABLE workers; --");

  static Object hostile(Random random) {
    return HOSTILE.get(random.nextInt(HOSTILE.size()));
  }

  /** A number some setting accepts (0 to 100 % or 0 to 5000 rpm): out-of-range numbers stay, as bad input. */
  static boolean inRange(String text) {
    try {
      double v = Double.parseDouble(text);
      return v >= 0 && v <= 5000;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  static byte[] randomBytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  static String abbreviate(String s) {
    return s == null ? "(no body)" : s.length() > 120 ? s.substring(0, 120) + "…(" + s.length() + " chars)" : s;
  }
}
