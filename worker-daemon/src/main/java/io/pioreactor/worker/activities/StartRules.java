package io.pioreactor.worker.activities;

import io.pioreactor.protocol.JobRun;
import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Membership;
import io.pioreactor.protocol.Topics;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Whether a job may start on this worker now, by the rules the worker enforces itself: in the inventory, active, in the
 * job's experiment (a unit-level job such as the self test: under {@code $experiment}, whatever experiment), one
 * instance per job name, and the self test alone.
 */
final class StartRules {
  private final String unit;
  private final Supplier<Membership> membership;
  private final Supplier<Boolean> membershipKnown;

  StartRules(String unit, Supplier<Membership> membership, Supplier<Boolean> membershipKnown) {
    this.unit = unit;
    this.membership = membership;
    this.membershipKnown = membershipKnown;
  }

  /** Null when {@code run} may start; else why not, in words a person can act on. */
  String refusal(JobRun run, Map<String, Activity> running) {
    if (!membershipKnown.get()) {
      return unit + " has not yet heard its membership from the leader";
    }
    Membership m = membership.get();
    if (m == null) {
      return unit + " is not in the inventory";
    }
    if (!m.isActive()) {
      return unit + " is inactive; inactive workers run no activities";
    }
    Activity existing = running.get(run.job());
    if (existing != null) {
      return run.job() + " is already running on " + unit + " (experiment '" + existing.experiment() + "', "
          + existing.state().wire() + "); stop it first";
    }
    String busy = busyWith(run.job(), running);
    if (busy != null) {
      return busy;
    }
    if (Jobs.isUnitLevel(run.job()) && Topics.UNIT_LEVEL.equals(run.experiment())) {
      return null; // the unit's own job: whatever experiment the unit is in (upstream's web app starts it so)
    }
    if (m.experiment() == null) {
      return unit + " is not assigned to any experiment";
    }
    if (!m.experiment().equals(run.experiment())) {
      return unit + " is assigned to experiment '" + m.experiment() + "', not '" + run.experiment() + "'";
    }
    return null;
  }

  /**
   * The self test drives every output: it runs alone. Null when {@code job} may start alongside what runs; else why not
   * (a job of the same name is refused later, with its own reason).
   */
  private String busyWith(String job, Map<String, Activity> running) {
    if (running.containsKey(Jobs.SELF_TEST)) {
      return "the self test is running on " + unit + "; it ends on its own, start " + job + " after it";
    }
    if (job.equals(Jobs.SELF_TEST) && !running.isEmpty()) {
      return "the self test drives every output: stop " + String.join(", ", running.keySet()) + " on " + unit + " first";
    }
    return null;
  }
}
