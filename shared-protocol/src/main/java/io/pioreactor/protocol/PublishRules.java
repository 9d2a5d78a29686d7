package io.pioreactor.protocol;

/**
 * Who may publish where. The leader (an admin user of the broker) may publish anywhere; a unit, with its own
 * credentials, only these shapes under its own name:
 * <ul>
 *   <li>{@code pioreactor/<unit>/+/+/+}: its monitor's facts, its jobs' {@code $state} and settings, its PWM duty
 *       cycles, and its replies to commands ({@code $commands/<name>/reply});</li>
 *   <li>{@code pioreactor/<unit>/+/logs/+/+}: its log lines;</li>
 *   <li>{@code pioreactor/<unit>/+/dosing_events} and {@code pioreactor/<unit>/+/led_change_events}: its pump runs and
 *       LED changes, four levels deep as upstream has them ({@link Topics#dosingEvents}, {@link Topics#ledChangeEvents}).</li>
 * </ul>
 * Nothing else, and at four levels nothing but those two: not its membership ({@code $experiment/assignment}), not
 * commands ({@code $commands/<name>}), not {@code …/set} requests, nothing under another unit or {@code $broadcast}.
 * Like mosquitto's {@code +}, the experiment level may be any non-empty segment, {@code $commands} included: so
 * {@code pioreactor/<unit>/$commands/dosing_events} passes here and in mosquitto alike (it commands no one: the
 * leader commands by name, and nothing is named so); the leader drops events whose experiment starts with {@code $}
 * ({@link Topic#isDosingEvent()}). Everybody else (browsers, read-only users, anonymous clients) publishes nothing.
 * The embedded broker enforces this in code; conf/mosquitto/pioreactor.acl says the same to mosquitto with four
 * {@code pattern write} lines, and the conformance tests check both against one table.
 */
public final class PublishRules {
  /** What a unit may publish four levels deep, {@code pioreactor/<unit>/<experiment>/<this>}. */
  private static final java.util.Set<String> UNIT_EVENTS = java.util.Set.of(Topics.DOSING_EVENTS, Topics.LED_CHANGE_EVENTS);

  private PublishRules() {}

  public static boolean unitMayPublish(String unit, String topic) {
    if (topic == null || topic.contains("+") || topic.contains("#")) {
      return false;
    }
    String[] p = topic.split("/", -1);
    if (!Topics.ROOT.equals(p[0]) || p.length < 2 || !p[1].equals(unit)) {
      return false;
    }
    for (String segment : p) {
      if (segment.isEmpty()) {
        return false; // what mosquitto's '+' does not match either
      }
    }
    return p.length == 5 || (p.length == 6 && Topics.LOGS.equals(p[3])) || (p.length == 4 && UNIT_EVENTS.contains(p[3]));
  }

  /**
   * Whether a client other than the leader may subscribe to {@code filter}: anything but the configuration tree
   * ({@link Topics#CONFIG_ROOT}), where a unit reads only its own. A filter that starts with a wildcard would reach
   * every unit's configuration, so only the leader may use one. {@code unit}: the client's unit name, or null for
   * readers (browsers, anonymous clients), which read no configuration at all.
   */
  public static boolean mayRead(String unit, String filter) {
    if (filter == null || filter.isEmpty()) {
      return false;
    }
    String[] p = filter.split("/", -1);
    if (p[0].equals("#") || p[0].equals("+")) {
      return false;
    }
    if (!p[0].equals(Topics.CONFIG_ROOT)) {
      return true;
    }
    return unit != null && p.length >= 2 && p[1].equals(unit);
  }
}
