package io.pioreactor.leader.cli;

import static io.pioreactor.leader.cli.LeaderClient.segment;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code pio run self_test}: once the unit has started it, waits for the run's results (the leader's live view of the
 * unit: its {@code self_test}, newer than the one before the start) and prints each check: passed, or failed and why.
 * Exits 1 when a check failed, as upstream's {@code pio run self_test} does.
 */
final class SelfTestWait {
  static final long MAX_WAIT_MS = 5 * 60_000;
  private final LeaderClient leader;
  private final PrintStream out;

  SelfTestWait(LeaderClient leader, PrintStream out) {
    this.leader = leader;
    this.out = out;
  }

  /** When the last run finished (null: never), to tell the coming run's results from it. */
  String lastAt(String unit) {
    JsonObject r = results(selfTest(unit));
    return r == null ? null : r.getString("at");
  }

  /** Waits for a run newer than {@code before}, prints it; throws a refusal when a check failed. */
  void await(String unit, String before) {
    long deadline = System.currentTimeMillis() + MAX_WAIT_MS;
    out.println("self test running on " + unit + "…");
    while (true) {
      JsonObject st = selfTest(unit);
      JsonObject r = results(st);
      boolean running = st != null && st.getString("state") != null && List.of("init", "ready", "sleeping").contains(st.getString("state"));
      if (r != null && !running && !r.getString("at", "").equals(before)) {
        print(r);
        return;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new CliException(CliException.REFUSED, "no self test result from " + unit + " within " + MAX_WAIT_MS / 60_000
            + " min: see its log (pio logs --unit " + unit + ")");
      }
      try {
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException(CliException.REFUSED, "interrupted while waiting for the self test");
      }
    }
  }

  private void print(JsonObject r) {
    Table t = new Table("TEST", "RESULT", "REASON");
    r.getJsonArray("passed").forEach(n -> t.row(n, "passed", ""));
    JsonObject reasons = r.getJsonObject("reasons", new JsonObject());
    r.getJsonArray("failed").forEach(n -> t.row(n, "FAILED", reasons.getString((String) n, "")));
    out.print(t.render());
    int failed = r.getJsonArray("failed").size();
    int total = failed + r.getJsonArray("passed").size();
    if (failed > 0) {
      throw new CliException(CliException.REFUSED, failed + " of " + total + " self tests failed (at " + r.getString("at") + ")");
    }
    out.println("all " + total + " self tests passed (at " + r.getString("at") + ")");
  }

  private JsonObject selfTest(String unit) {
    Object st = ((JsonObject) leader.get("/api/workers/" + segment(unit))).getValue("self_test");
    return st instanceof JsonObject o ? o : null;
  }

  private static JsonObject results(JsonObject st) {
    return st == null || !(st.getValue("results") instanceof JsonObject r) ? null : r;
  }
}
