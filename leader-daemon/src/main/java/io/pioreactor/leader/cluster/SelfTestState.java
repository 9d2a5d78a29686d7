package io.pioreactor.leader.cluster;

import io.pioreactor.protocol.JobState;
import io.pioreactor.protocol.MalformedMessageException;
import io.pioreactor.protocol.SelfTestResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A unit's self test as the leader hears it ({@code pioreactor/<u>/$experiment/self_test/…}): whether it runs, each
 * {@code test_*} as upstream publishes it ({@code 1}/{@code 0}), and the last run's {@link SelfTestResult}. Unlike a
 * job's settings, all of it stays after the test ends: that is its point. Bounded: {@link SelfTestResult#MAX_TESTS}
 * tests, names of upstream's shape; anything else is refused (the caller says so, rate-limited).
 */
final class SelfTestState {
  private static final Pattern TEST = Pattern.compile("^test_[A-Za-z0-9_]{1,64}$");
  private String state;
  private final Map<String, Boolean> tests = new TreeMap<>();
  private Boolean allPassed;
  private SelfTestResult result;

  /** The attributes a self test publishes: its state, results, all_tests_passed, test_*, and upstream's correlations. */
  static boolean known(String attribute) {
    return io.pioreactor.protocol.Topics.STATE.equals(attribute) || SelfTestResult.SETTING.equals(attribute)
        || SelfTestResult.ALL_PASSED.equals(attribute) || TEST.matcher(attribute).matches()
        || "correlations_between_pds_and_leds".equals(attribute);
  }

  /** Applies one attribute; false when nothing changed. Throws MalformedMessageException for what is not believable. */
  boolean apply(String attribute, Buffer payload) {
    String text = payload.toString();
    boolean clear = payload.length() == 0;
    if (io.pioreactor.protocol.Topics.STATE.equals(attribute)) {
      if (!clear && JobState.parse(text).isEmpty()) {
        throw new MalformedMessageException("not a state");
      }
      String before = state;
      state = clear ? null : text;
      return !java.util.Objects.equals(before, state);
    }
    if (SelfTestResult.SETTING.equals(attribute)) {
      SelfTestResult before = result;
      result = clear ? null : SelfTestResult.fromBuffer(payload);
      return !java.util.Objects.equals(before, result);
    }
    if (SelfTestResult.ALL_PASSED.equals(attribute)) {
      Boolean before = allPassed;
      allPassed = clear ? null : bool(text);
      return !java.util.Objects.equals(before, allPassed);
    }
    if (TEST.matcher(attribute).matches()) {
      if (clear) {
        return tests.remove(attribute) != null;
      }
      if (!tests.containsKey(attribute) && tests.size() >= SelfTestResult.MAX_TESTS) {
        throw new MalformedMessageException("more than " + SelfTestResult.MAX_TESTS + " tests");
      }
      return !java.util.Objects.equals(tests.put(attribute, bool(text)), bool(text));
    }
    return false; // other settings (correlations_between_pds_and_leds): history only
  }

  /** Upstream's spellings of a boolean setting: {@code 1}/{@code 0}, {@code true}/{@code false}. */
  private static boolean bool(String text) {
    return switch (text) {
      case "1", "true", "True" -> true;
      case "0", "false", "False" -> false;
      default -> throw new MalformedMessageException("not 1 or 0: a test passes or fails");
    };
  }

  boolean isEmpty() {
    return state == null && tests.isEmpty() && allPassed == null && result == null;
  }

  /** {@code {"state", "tests": {name: true|false}, "all_tests_passed", "results": {at, passed, failed, reasons}|null}}. */
  JsonObject toJson() {
    JsonObject t = new JsonObject();
    tests.forEach(t::put);
    return new JsonObject().put("state", state).put("tests", t).put("all_tests_passed", allPassed)
        .put("results", result == null ? null : result.toJson());
  }
}
