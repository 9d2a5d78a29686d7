package io.pioreactor.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A parsed topic: {@code pioreactor/<unit>/<experiment>/<segments...>}. Immutable value.
 * {@link #parse(String)} returns empty for anything outside our tree rather than throwing,
 * because topics arrive from the network.
 */
public record Topic(String unit, String experiment, List<String> rest) {

  public static Optional<Topic> parse(String topic) {
    if (topic == null) {
      return Optional.empty();
    }
    String[] parts = topic.split("/", -1);
    if (parts.length < 4 || !Topics.ROOT.equals(parts[0])) {
      return Optional.empty();
    }
    for (String p : parts) {
      if (p.isEmpty()) {
        return Optional.empty();
      }
    }
    return Optional.of(new Topic(parts[1], parts[2], List.of(Arrays.copyOfRange(parts, 3, parts.length))));
  }

  /** The job segment (e.g. {@code monitor}, {@code logs}, {@code assignment}, {@code commands}). */
  public String job() {
    return rest.get(0);
  }

  /** The segment after the job, or empty. */
  public Optional<String> attribute() {
    return rest.size() > 1 ? Optional.of(rest.get(1)) : Optional.empty();
  }

  public boolean isBroadcast() {
    return Topics.BROADCAST.equals(unit);
  }

  public boolean isUnitLevel() {
    return Topics.UNIT_LEVEL.equals(experiment);
  }

  public boolean isMonitor() {
    return isUnitLevel() && Topics.MONITOR.equals(job()) && rest.size() == 2;
  }

  /** {@code pioreactor/<unit>/$experiment/monitor/config}: what the unit says of its configuration ({@link ConfigStatus}). */
  public boolean isConfigStatus() {
    return isMonitor() && Topics.CONFIG_STATUS.equals(rest.get(1));
  }

  /** {@code <job>/$state} of a job other than the unit-level monitor. */
  /** {@code pioreactor/<u>/$experiment/monitor/health} ({@link UnitHealth}). */
  public boolean isHealth() {
    return isMonitor() && Topics.HEALTH.equals(rest.get(1));
  }

  public boolean isJobState() {
    return rest.size() == 2 && Topics.STATE.equals(rest.get(1)) && !isMonitor();
  }

  public boolean isAssignment() {
    return isUnitLevel() && Topics.ASSIGNMENT.equals(job()) && rest.size() == 1;
  }

  /** {@code $commands/<name>} sent to a unit. */
  public boolean isCommand() {
    return Topics.COMMANDS.equals(experiment) && rest.size() == 1;
  }

  /** {@code $commands/<name>/reply} from a unit. */
  public boolean isCommandReply() {
    return Topics.COMMANDS.equals(experiment) && rest.size() == 2 && Topics.REPLY.equals(rest.get(1));
  }

  /**
   * {@code pioreactor/<u>/<exp>/dosing_events} of an experiment ({@link DosingEvent}); not under a {@code $} segment,
   * which a unit may also publish on (mosquitto's {@code +} matches it; {@link PublishRules}).
   */
  public boolean isDosingEvent() {
    return rest.size() == 1 && Topics.DOSING_EVENTS.equals(job()) && !experiment.startsWith("$");
  }

  /** {@code pioreactor/<u>/<exp>/led_change_events} of an experiment ({@link LedChangeEvent}); as {@link #isDosingEvent()}. */
  public boolean isLedChangeEvent() {
    return rest.size() == 1 && Topics.LED_CHANGE_EVENTS.equals(job()) && !experiment.startsWith("$");
  }

  /** {@code logs/<source>/<level>}. */
  public boolean isLog() {
    return Topics.LOGS.equals(job()) && rest.size() == 3;
  }

  /** Whether {@code topic} matches the MQTT filter {@code filter} ({@code +} one level, {@code #} the rest). */
  public static boolean matches(String filter, String topic) {
    String[] f = filter.split("/", -1);
    String[] t = topic.split("/", -1);
    for (int i = 0; i < f.length; i++) {
      if (f[i].equals("#")) {
        return true;
      }
      if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
        return false;
      }
    }
    return f.length == t.length;
  }

  /** {@code <job>/<attribute>/set}: a request to change a job's setting (or {@code $state}). */
  public boolean isSet() {
    return rest.size() == 3 && Topics.SET.equals(rest.get(2));
  }

  /**
   * {@code <job>/<attribute>} published by a job in an experiment (not the monitor or other unit-level jobs, logs,
   * commands or assignment). Experiment names never start with {@code $}: such segments are ours.
   */
  public boolean isJobAttribute() {
    return rest.size() == 2 && !experiment.startsWith("$");
  }

  /** {@code pioreactor/<u>/$experiment/self_test/<attribute>}: the self test's state and results ({@link SelfTestResult}). */
  public boolean isSelfTestAttribute() {
    return isUnitLevel() && rest.size() == 2 && Jobs.SELF_TEST.equals(job());
  }

  /** The command of a {@link #isCommand()} or {@link #isCommandReply()} topic. */
  public String commandName() {
    return rest.get(0);
  }

  /** The setting a {@link #isSet()} topic asks to change ({@code $state} for stop, pause, resume). */
  public String setting() {
    return rest.get(1);
  }

  /** The attribute of a {@link #isJobAttribute()} topic: {@code $state} or a setting's name. */
  public String jobAttribute() {
    return rest.get(1);
  }

  /** The source and level of a {@link #isLog()} topic: {@code logs/<source>/<level>}. */
  public String logSource() {
    return rest.get(1);
  }

  public String logLevel() {
    return rest.get(2);
  }

  /**
   * Whether the unit, experiment and job segments are names our rules accept ({@link Names}, {@link Jobs}) or our own
   * special segments. Anything else arriving from the broker is nobody we know: dropped before it is stored or shown.
   */
  public boolean hasValidNames() {
    if (!isBroadcast() && Names.unitNameProblem(unit).isPresent()) {
      return false;
    }
    if (experiment.startsWith("$")) {
      return Topics.UNIT_LEVEL.equals(experiment) || Topics.COMMANDS.equals(experiment);
    }
    if (Names.experimentNameProblem(experiment).isPresent()) {
      return false;
    }
    if (isLog()) {
      return LOG_SOURCE.matcher(logSource()).matches() && LOG_LEVEL.matcher(logLevel()).matches();
    }
    if (Jobs.jobNameProblem(job()).isPresent() && !Topics.MONITOR.equals(job())) {
      return false;
    }
    return rest.size() < 2 || ATTRIBUTE.matcher(rest.get(1)).matches();
  }

  /** A setting's or published attribute's name ({@code $state}, {@code target_rpm}): what upstream's jobs use. */
  private static final java.util.regex.Pattern ATTRIBUTE = java.util.regex.Pattern.compile("^\\$?[A-Za-z0-9_]{1,64}$");
  private static final java.util.regex.Pattern LOG_SOURCE = java.util.regex.Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");
  private static final java.util.regex.Pattern LOG_LEVEL = java.util.regex.Pattern.compile("^[A-Za-z]{1,16}$");
}
