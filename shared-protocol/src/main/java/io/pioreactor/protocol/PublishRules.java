package io.pioreactor.protocol;

/**
 * Who may publish where. The leader (an admin user of the broker) may publish anywhere; a unit, with its own
 * credentials, only two shapes under its own name:
 * <ul>
 *   <li>{@code pioreactor/<unit>/+/+/+}: its monitor's facts, its jobs' {@code $state} and settings, its PWM duty
 *       cycles, and its replies to commands ({@code $commands/<name>/reply});</li>
 *   <li>{@code pioreactor/<unit>/+/logs/+/+}: its log lines.</li>
 * </ul>
 * Nothing else: not its membership ({@code $experiment/assignment}), not commands ({@code $commands/<name>}), not
 * {@code …/set} requests, nothing under another unit or {@code $broadcast}. Everybody else (browsers, read-only users,
 * anonymous clients) publishes nothing. The embedded broker enforces this in code; conf/mosquitto/pioreactor.acl says
 * the same to mosquitto with two {@code pattern write} lines, and the conformance tests check both against one table.
 */
public final class PublishRules {
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
    return p.length == 5 || (p.length == 6 && Topics.LOGS.equals(p[3]));
  }
}
