package io.pioreactor.protocol;

/**
 * The MQTT topic tree, built in one place. Shapes follow upstream Pioreactor:
 * {@code pioreactor/<unit>/<experiment>/<job>/<attribute>}. Nobody else concatenates topic strings.
 */
public final class Topics {
  public static final String ROOT = "pioreactor";
  /** Experiment segment for unit-level jobs such as {@code monitor}. */
  public static final String UNIT_LEVEL = "$experiment";
  /** Unit segment addressing every unit. */
  public static final String BROADCAST = "$broadcast";
  public static final String MONITOR = "monitor";
  public static final String STATE = "$state";
  public static final String SET = "set";

  // Monitor attributes the worker publishes (retained).
  public static final String VERSIONS = "versions";
  public static final String IPV4 = "ipv4";
  public static final String WLAN_MAC = "wlan_mac_address";
  public static final String ETH_MAC = "eth_mac_address";
  public static final String MODEL = "model";
  public static final String COMPUTER_STATISTICS = "computer_statistics";
  public static final String BUTTON_DOWN = "button_down";
  /** Identify: the leader publishes {@code 1} here and the worker flashes its HAT LED. */
  public static final String FLICKER_LED = "flicker_led_response_okay";
  /** Retained membership the leader owns (superset of upstream's assignment payload). */
  public static final String ASSIGNMENT = "assignment";
  /**
   * The segment (in the experiment's place) under which the leader commands a unit: {@code pioreactor/<u>/$commands/<name>}.
   * Four levels, so no pattern that lets a unit publish its own job attributes ({@code pioreactor/<u>/+/+/+}) covers it:
   * the brokers' ACLs can say "only the leader commands" (conf/mosquitto/pioreactor.acl, {@link PublishRules}).
   */
  public static final String COMMANDS = "$commands";
  public static final String REPLY = "reply";
  public static final String LOGS = "logs";
  /** Hardware PWM duty cycles of a unit, retained JSON {@code {"<bcm pin>": percent}} (upstream: {@code pwms/dc}). */
  public static final String PWMS = "pwms";
  public static final String DUTY_CYCLES = "dc";
  /**
   * A unit's dosing events, {@code pioreactor/<u>/<exp>/dosing_events} ({@link DosingEvent}), one per pump run: four
   * levels, under no job, as upstream publishes them. Not retained.
   */
  public static final String DOSING_EVENTS = "dosing_events";
  /** A unit's LED changes, {@code pioreactor/<u>/<exp>/led_change_events} ({@link LedChangeEvent}), one per channel. Not retained. */
  public static final String LED_CHANGE_EVENTS = "led_change_events";
  /** Stirring's measured speed ({@link MeasuredRpm}), a retained setting of the {@code stirring} job, as upstream. */
  public static final String MEASURED_RPM = "measured_rpm";
  /**
   * The tree the leader delivers each unit's cluster configuration on, {@code pioreactor_config/<unit>/effective}
   * ({@link ConfigDelivery}, retained): outside {@code pioreactor/#}, so the browsers' and anonymous readers' grants
   * do not reach it, and both brokers let only that unit (and the leader) read its own, since it may hold secrets.
   */
  public static final String CONFIG_ROOT = "pioreactor_config";
  public static final String EFFECTIVE_CONFIG = "effective";
  /** A unit's monitor attribute saying which configuration it runs ({@link ConfigStatus}, retained). */
  public static final String CONFIG_STATUS = "config";
  /** A unit's monitor attribute with its machine's health ({@link UnitHealth}, retained). */
  public static final String HEALTH = "health";
  /** Topics containing this are never stored by the leader. */
  public static final String TESTING_MARKER = "/_testing_";

  private Topics() {}

  public static String job(String unit, String experiment, String job, String attribute) {
    return ROOT + "/" + unit + "/" + experiment + "/" + job + "/" + attribute;
  }

  public static String monitor(String unit, String attribute) {
    return job(unit, UNIT_LEVEL, MONITOR, attribute);
  }

  public static String monitorState(String unit) {
    return monitor(unit, STATE);
  }

  public static String flickerLed(String unit) {
    return monitor(unit, FLICKER_LED);
  }

  public static String assignment(String unit) {
    return ROOT + "/" + unit + "/" + UNIT_LEVEL + "/" + ASSIGNMENT;
  }

  /** A command from the leader to one unit (or {@link #BROADCAST}). */
  public static String command(String unit, String command) {
    return ROOT + "/" + unit + "/" + COMMANDS + "/" + command;
  }

  /** Where a unit answers a command: always under its own name, so ACLs hold. */
  public static String commandReply(String unit, String command) {
    return command(unit, command) + "/" + REPLY;
  }

  public static String log(String unit, String experiment, String source, String level) {
    return ROOT + "/" + unit + "/" + experiment + "/" + LOGS + "/" + source + "/" + level;
  }

  public static String set(String unit, String experiment, String job, String attribute) {
    return job(unit, experiment, job, attribute) + "/" + SET;
  }

  public static String jobState(String unit, String experiment, String job) {
    return job(unit, experiment, job, STATE);
  }

  /** Where a worker publishes what its PWM outputs actually are. */
  public static String pwmDutyCycles(String unit) {
    return job(unit, UNIT_LEVEL, PWMS, DUTY_CYCLES);
  }

  /** Where a unit says a pump moved liquid in an experiment ({@link DosingEvent}). */
  public static String dosingEvents(String unit, String experiment) {
    return ROOT + "/" + unit + "/" + experiment + "/" + DOSING_EVENTS;
  }

  /** Where a unit says an LED channel changed in an experiment ({@link LedChangeEvent}). */
  public static String ledChangeEvents(String unit, String experiment) {
    return ROOT + "/" + unit + "/" + experiment + "/" + LED_CHANGE_EVENTS;
  }

  // Subscription filters.
  /** Where the leader sends {@code unit} its effective configuration. */
  public static String unitConfig(String unit) {
    return CONFIG_ROOT + "/" + unit + "/" + EFFECTIVE_CONFIG;
  }

  /** Every unit's configuration tree (the leader's, and a unit's own when {@code unit} is its name). */
  public static String unitConfigTree(String unit) {
    return CONFIG_ROOT + "/" + unit + "/#";
  }

  /** Where {@code unit} says which configuration it runs. */
  public static String configStatus(String unit) {
    return monitor(unit, CONFIG_STATUS);
  }

  /** Where {@code unit} says how its machine is ({@link UnitHealth}). */
  public static String health(String unit) {
    return monitor(unit, HEALTH);
  }

  public static String allConfigStatuses() {
    return configStatus("+");
  }

  public static String allMonitorAttributes() {
    return monitor("+", "+");
  }

  /** Every job's {@code $state}, in every experiment (includes the monitor's). */
  public static String allJobStates() {
    return job("+", "+", "+", STATE);
  }

  /** Every {@code <job>/<setting>/set} addressed to {@code unit} (or {@link #BROADCAST}), in any experiment. */
  public static String allSetsFor(String unit) {
    return ROOT + "/" + unit + "/+/+/+/" + SET;
  }

  /** Every job attribute of every unit: {@code pioreactor/<u>/<e>/<job>/<attr>}. */
  public static String allJobAttributes() {
    return job("+", "+", "+", "+");
  }

  public static String allAssignments() {
    return assignment("+");
  }

  /** Every unit's command replies. Note: {@link #allJobAttributes()} covers them too (same depth). */
  public static String allCommandReplies() {
    return commandReply("+", "+");
  }

  /** Every job {@code $state} and setting of one unit, in every experiment (also its command replies: same depth). */
  public static String jobAttributesOf(String unit) {
    return job(unit, "+", "+", "+");
  }

  /** Every unit's dosing events, in every experiment (four levels: {@link #allJobAttributes()} does not cover them). */
  public static String allDosingEvents() {
    return dosingEvents("+", "+");
  }

  /** Every unit's LED changes, in every experiment (four levels: {@link #allJobAttributes()} does not cover them). */
  public static String allLedChangeEvents() {
    return ledChangeEvents("+", "+");
  }

  public static String allLogs() {
    return ROOT + "/+/+/" + LOGS + "/#";
  }

  public static String everything() {
    return ROOT + "/#";
  }

  /** Filters a unit listens on: its own tree and the broadcast tree. */
  public static String unitTree(String unit) {
    return ROOT + "/" + unit + "/#";
  }
}
