package io.pioreactor.worker.selftest;

import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.JobRun;
import io.pioreactor.protocol.SelfTestResult;
import io.pioreactor.protocol.Topics;
import io.pioreactor.worker.activities.Activity;
import io.pioreactor.worker.activities.ActivityContext;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Upstream's {@code self_test} job: always under {@code $experiment}, it says {@code ready}, runs every check
 * ({@link SelfTestChecks}) one after the other, publishes each as upstream does ({@code test_*} = {@code 1} or {@code 0},
 * retained; the reason of a failure in its log and in {@link SelfTestResult}), then {@code all_tests_passed} and our
 * {@code results}, writes {@code self-test-<unit>.json}, and stops itself. Its results stay retained after it stops, so a
 * reader who comes later still sees them. Options as upstream's: {@code retry-failed} runs again only what failed in the
 * last run (from its file; what passed then stays passed) and {@code k} only the checks whose name contains it.
 */
public final class SelfTestJob extends Activity {
  static final long CHECK_TIMEOUT_S = 60;
  /** Upstream's option (its dialog's "Retry failed tests" sends it): only what failed last time, the rest kept. */
  static final String RETRY_FAILED = "retry-failed";
  private final boolean retryFailed;
  private final String only;
  private final SelfTestChecks checks;
  private final Path file;

  public SelfTestJob(ActivityContext ctx, JobRun run, Path file) {
    super(ctx, Jobs.SELF_TEST, Topics.UNIT_LEVEL);
    java.util.Set<String> unknown = new java.util.TreeSet<>(run.options().fieldNames());
    unknown.removeAll(java.util.Set.of(RETRY_FAILED, "retry_failed", "k"));
    if (!unknown.isEmpty() || !run.args().isEmpty()) {
      throw new IllegalArgumentException("self_test: unknown option" + (unknown.size() > 1 ? "s " : " ") + unknown
          + " (it takes retry-failed, and k: run only the checks whose name contains it)");
    }
    Object k = run.options().getValue("k");
    if (k != null && !(k instanceof String ks && ks.length() <= 64)) {
      throw new IllegalArgumentException("self_test: k must be text (part of a check's name)");
    }
    this.only = (String) k;
    this.retryFailed = run.options().containsKey(RETRY_FAILED) || run.options().containsKey("retry_failed");
    this.file = file;
    this.checks = new SelfTestChecks(ctx.vertx(), ctx.hat(), ctx.defaults().get().stirringTargetRpm());
    SelfTestChecks.NAMES.forEach(n -> declareSetting(n, null, false));
    declareSetting("correlations_between_pds_and_leds", null, false);
    declareSetting(SelfTestResult.ALL_PASSED, null, false);
    declareSetting(SelfTestResult.SETTING, null, false);
  }

  @Override
  protected Future<Void> run() {
    return Future.succeededFuture();
  }

  @Override
  protected boolean canSleep() {
    return false;
  }

  @Override
  protected boolean keepsSettingsWhenStopped() {
    return true;
  }

  @Override
  protected Future<Void> makeSafe() {
    return checks.allOff().otherwiseEmpty();
  }

  @Override
  protected void afterReady() {
    List<String> passed = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    Map<String, String> reasons = new LinkedHashMap<>();
    checks.onCorrelations(pairs -> publishSetting("correlations_between_pds_and_leds", pairs.encode()));
    SelfTestFile.read(ctx.vertx(), file).compose(previous -> {
      List<String> tests = new ArrayList<>(SelfTestChecks.NAMES);
      if (retryFailed && previous != null) {
        tests.retainAll(previous.failed());
        passed.addAll(previous.passed()); // kept: a retry runs again only what failed
        passed.retainAll(SelfTestChecks.NAMES);
      }
      if (only != null) {
        tests.removeIf(t -> !t.contains(only));
      }
      if (retryFailed && previous != null) {
        // A check that failed before and is not run again now (k) still failed: the card must not say all passed.
        for (String t : previous.failed()) {
          if (SelfTestChecks.NAMES.contains(t) && !tests.contains(t) && !failed.contains(t)) {
            failed.add(t);
            reasons.put(t, "failed in the run of " + previous.at() + "; not run again this time");
          }
        }
      }
      ctx.log().job(experiment(), name(), "info", "Starting self-test. Running " + tests.size() + " tests.");
      // What an earlier run left retained is cleared first, as upstream does: a reader must not take it for this run's.
      Future<Void> chain = clearResults(tests);
      for (String test : tests) {
        chain = chain.compose(v -> isStopping() ? Future.failedFuture("stopped") : runOne(test, passed, failed, reasons));
      }
      return chain;
    }).compose(v -> finish(new SelfTestResult(Instant.now().toString(), passed, failed, reasons)))
        .onFailure(err -> ctx.log().job(experiment(), name(), isStopping() ? "info" : "error",
            "self test " + (isStopping() ? "stopped before it finished" : "failed: " + err.getMessage())))
        .onComplete(ar -> stop());
  }

  private Future<Void> runOne(String test, List<String> passed, List<String> failed, Map<String, String> reasons) {
    Future<Void> check;
    try {
      check = checks.check(test).get().timeout(CHECK_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (RuntimeException e) {
      check = Future.failedFuture(e);
    }
    return check.transform(ar -> {
      if (ar.succeeded()) {
        passed.add(test);
      } else {
        failed.add(test);
        String why = ar.cause().getMessage() == null ? ar.cause().toString() : ar.cause().getMessage();
        reasons.put(test, why);
        ctx.log().job(experiment(), name(), "warning", test.replace('_', ' ') + ": " + why);
      }
      return publishSetting(test, ar.succeeded() ? 1 : 0);
    });
  }

  private Future<Void> finish(SelfTestResult result) {
    String summary = result.allPassed() ? "All tests passed ✅"
        : result.failed().size() + " failed test" + (result.failed().size() > 1 ? "s" : "") + " ❌: " + String.join(", ", result.failed());
    ctx.log().job(experiment(), name(), result.allPassed() ? "info" : "warning", summary);
    return publishSetting(SelfTestResult.ALL_PASSED, result.allPassed() ? 1 : 0)
        .compose(v -> publishSetting(SelfTestResult.SETTING, result.toJson()))
        .compose(v -> SelfTestFile.write(ctx.vertx(), file, result)
            .recover(err -> {
              ctx.log().job(experiment(), name(), "error", "self test: could not write " + file + ": " + err.getMessage());
              return Future.succeededFuture();
            }));
  }

  private Future<Void> clearResults(List<String> tests) {
    List<String> cleared = new ArrayList<>(tests);
    cleared.addAll(List.of(SelfTestResult.ALL_PASSED, SelfTestResult.SETTING));
    if (tests.contains(SelfTestChecks.PDS_AND_LEDS)) {
      cleared.add("correlations_between_pds_and_leds");
    }
    Future<Void> chain = Future.succeededFuture();
    for (String s : cleared) {
      chain = chain.compose(v -> publishSetting(s, ""));
    }
    return chain;
  }
}
