package io.pioreactor.protocol;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Job (activity) names as upstream spells them, their name rule, and the order a full stop follows. */
public final class Jobs {
  public static final String STIRRING = "stirring";
  public static final String OD_READING = "od_reading";
  public static final String LED_INTENSITY = "led_intensity";
  public static final String ADD_MEDIA = "add_media";
  public static final String REMOVE_WASTE = "remove_waste";
  public static final String ADD_ALT_MEDIA = "add_alt_media";
  public static final String TEMPERATURE_AUTOMATION = "temperature_automation";
  public static final String DOSING_AUTOMATION = "dosing_automation";
  public static final String LED_AUTOMATION = "led_automation";
  public static final String GROWTH_RATE_CALCULATING = "growth_rate_calculating";
  /** The leader-side job that runs an experiment profile; its progress is retained like any job's. */
  public static final String EXPERIMENT_PROFILE = "experiment_profile";
  /**
   * Upstream's self test: runs once on a unit, under {@code $experiment} (upstream's {@code UNIVERSAL_EXPERIMENT}),
   * publishes its {@code test_*} results as retained settings and ends on its own ({@link SelfTestResult}).
   */
  public static final String SELF_TEST = "self_test";

  /** The option (and published setting) naming which automation an automation job runs, as upstream names it. */
  public static final String AUTOMATION_NAME = "automation_name";
  /** The one automation each automation job of ours runs (upstream has several per job). */
  public static final String THERMOSTAT = "thermostat";
  public static final String CHEMOSTAT = "chemostat";
  public static final String LIGHT_DARK_CYCLE = "light_dark_cycle";

  /** The jobs a worker daemon can run. */
  public static final List<String> WORKER_JOBS = List.of(STIRRING, OD_READING, LED_INTENSITY, ADD_MEDIA, REMOVE_WASTE,
      ADD_ALT_MEDIA, TEMPERATURE_AUTOMATION, DOSING_AUTOMATION, LED_AUTOMATION, GROWTH_RATE_CALCULATING, SELF_TEST);

  /**
   * Jobs of the unit rather than of an experiment: they may run under {@code $experiment} (as upstream's web app starts
   * the self test), whatever experiment the unit is in; inactive units still run none.
   */
  public static boolean isUnitLevel(String job) {
    return SELF_TEST.equals(job);
  }

  private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");

  private Jobs() {}

  public static Optional<String> jobNameProblem(String job) {
    if (job == null || job.isEmpty()) {
      return Optional.of("a job name is required");
    }
    if (!NAME.matcher(job).matches()) {
      return Optional.of("a job name is lower-case letters, digits and '_' (at most 64), starting with a letter");
    }
    if (Topics.MONITOR.equals(job)) {
      return Optional.of("'monitor' is the unit's own job; it cannot be started or stopped");
    }
    return Optional.empty();
  }

  private static final Pattern SOURCE = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");

  /** A job source ({@code user}, {@code experiment_profile}, …: upstream's {@code job_source}); null (not said) is fine. */
  public static Optional<String> jobSourceProblem(String source) {
    if (source == null || SOURCE.matcher(source).matches()) {
      return Optional.empty();
    }
    return Optional.of("a job source is lower-case letters, digits and '_' (at most 64), starting with a letter");
  }

  /**
   * Upstream's safety order for stopping everything: pumps and PWM first, then heaters, then automations,
   * then the rest. Lower stops first.
   */
  public static int stopRank(String job) {
    if (job.equals(STIRRING) || job.equals(ADD_MEDIA) || job.equals(REMOVE_WASTE) || job.equals(ADD_ALT_MEDIA)
        || job.startsWith("pump") || job.contains("pwm")) {
      return 0;
    }
    if (job.contains("heat") || job.equals("temperature_automation")) {
      return 1;
    }
    if (job.endsWith("_automation")) {
      return 2;
    }
    return 3;
  }
}
