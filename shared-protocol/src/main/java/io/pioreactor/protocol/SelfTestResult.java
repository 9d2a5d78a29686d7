package io.pioreactor.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What one self test found: when it finished, the {@code test_*} checks that passed and failed, and why each failed.
 * Published by the unit as the {@code self_test} job's retained {@link #SETTING} setting (ours; upstream's web app reads
 * the single {@code test_*} settings, published beside it as {@code 1}/{@code 0}); the leader keeps the latest per unit.
 * Bounded: at most {@link #MAX_TESTS} names of upstream's shape, reasons cut to {@link #MAX_REASON} characters. The
 * constructor throws {@link MalformedMessageException} for anything else; unknown fields are ignored when read.
 */
public record SelfTestResult(String at, List<String> passed, List<String> failed, Map<String, String> reasons) {
  /** The self test's setting that carries this record. */
  public static final String SETTING = "results";
  /** Upstream's summary setting: {@code 1} when every test passed. */
  public static final String ALL_PASSED = "all_tests_passed";
  public static final int MAX_TESTS = 32;
  public static final int MAX_REASON = 300;
  private static final Pattern NAME = Pattern.compile("^test_[A-Za-z0-9_]{1,64}$");

  public SelfTestResult {
    EventFields.timestamp("at", at);
    passed = List.copyOf(passed);
    failed = List.copyOf(failed);
    if (passed.size() + failed.size() > MAX_TESTS) {
      throw new MalformedMessageException("at most " + MAX_TESTS + " tests");
    }
    for (String n : concat(passed, failed)) {
      if (n == null || !NAME.matcher(n).matches()) {
        throw new MalformedMessageException("a test's name is test_ and 1-64 of [A-Za-z0-9_]");
      }
    }
    Map<String, String> cut = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : reasons.entrySet()) {
      if (!failed.contains(e.getKey()) || e.getValue() == null) {
        throw new MalformedMessageException("a reason is for a failed test, as text");
      }
      String flat = e.getValue().replaceAll("\\p{Cntrl}", " ");
      cut.put(e.getKey(), flat.length() > MAX_REASON ? flat.substring(0, MAX_REASON) + "…" : flat);
    }
    reasons = java.util.Collections.unmodifiableMap(cut);
  }

  public boolean allPassed() {
    return failed.isEmpty() && !passed.isEmpty();
  }

  public JsonObject toJson() {
    JsonObject r = new JsonObject();
    reasons.forEach(r::put);
    return toFileJson().put("reasons", r);
  }

  /** The shape of {@code <state_dir>/self-test-<unit>.json}: {@code {"at", "passed", "failed"}}, exactly. */
  public JsonObject toFileJson() {
    return new JsonObject().put("at", at).put("passed", new JsonArray(passed)).put("failed", new JsonArray(failed));
  }

  public Buffer toBuffer() {
    return toJson().toBuffer();
  }

  public static SelfTestResult fromJson(JsonObject o) {
    JsonObject r = Json.optionalObject(o, "reasons");
    Map<String, String> reasons = new LinkedHashMap<>();
    if (r.size() > MAX_TESTS) {
      throw new MalformedMessageException("at most " + MAX_TESTS + " reasons");
    }
    for (String k : r.fieldNames()) {
      reasons.put(k, Json.requiredString(r, k));
    }
    return new SelfTestResult(Json.requiredString(o, "at"), Json.strings(o, "passed"), Json.strings(o, "failed"), reasons);
  }

  public static SelfTestResult fromBuffer(Buffer b) {
    if (b.length() > 16_384) {
      throw new MalformedMessageException("a self test's results are at most 16 KiB");
    }
    return fromJson(Json.object(b));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
