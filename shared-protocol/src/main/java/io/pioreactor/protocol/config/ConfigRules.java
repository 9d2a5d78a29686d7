package io.pioreactor.protocol.config;

import io.pioreactor.protocol.Names;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the cluster configuration's known options may hold: the one place the leader (before it stores an edit) and
 * the workers (before they apply what they are sent) check it. Sections and options it does not know are kept as they
 * are (plugins read their own); an empty value means "not set". Names follow upstream's config.ini.
 */
public final class ConfigRules {
  public static final String PWM = "PWM";
  public static final String LEDS = "leds";
  public static final String STIRRING = "stirring.config";
  public static final String OD_READING = "od_reading.config";
  public static final String PHOTODIODES = "od_config.photodiode_channel";
  public static final String DOSING = "dosing_automation.config";
  public static final String THERMOSTAT = "temperature_automation.thermostat";
  public static final String GROWTH_RATE = "growth_rate_calculating.config";
  public static final String TOPOLOGY = "cluster.topology";
  public static final String ADDRESSES = "cluster.addresses";
  public static final String MQTT = "mqtt";

  private interface Check {
    /** null when fine, else what is wrong. */
    String problem(String value);
  }

  /**
   * A decimal number as both Python's float and Java read it. Not Double.parseDouble's own forms ({@code 500f},
   * {@code 500d}, hex {@code 0x1p9}): upstream's units would fail on them.
   */
  private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

  private static Check number(double min, double max) {
    return v -> {
      try {
        if (!DECIMAL.matcher(v).matches()) {
          throw new NumberFormatException(v);
        }
        double d = Double.parseDouble(v);
        return Double.isFinite(d) && d >= min && d <= max ? null : "must be a number from " + fmt(min) + " to " + fmt(max) + ", not " + v;
      } catch (NumberFormatException e) {
        return "must be a number, not '" + abbreviate(v) + "'";
      }
    };
  }

  private static Check integer(long min, long max) {
    return v -> {
      try {
        long n = Long.parseLong(v);
        return n >= min && n <= max ? null : "must be a whole number from " + min + " to " + max + ", not " + v;
      } catch (NumberFormatException e) {
        return "must be a whole number, not '" + abbreviate(v) + "'";
      }
    };
  }

  private static final Set<String> BOOLEANS = Set.of("1", "0", "yes", "no", "true", "false", "on", "off");

  private static Check bool() {
    return v -> BOOLEANS.contains(v.toLowerCase(Locale.ROOT)) ? null : "must be a yes/no value (1 or 0, true or false), not '" + abbreviate(v) + "'";
  }

  private static Check oneOf(String... allowed) {
    Set<String> set = Set.of(allowed);
    return v -> set.contains(v) ? null : "must be one of " + String.join(", ", allowed) + ", not '" + abbreviate(v) + "'";
  }

  private static Check either(Check a, Check b, String what) {
    return v -> a.problem(v) == null || b.problem(v) == null ? null : what + ", not '" + abbreviate(v) + "'";
  }

  private static final Check FINITE = number(-1e9, 1e9);
  private static final Check NON_NEGATIVE = number(0, 1e9);
  private static final Check ZERO_ONE = oneOf("0", "1");

  private static final Map<String, Map<String, Check>> KNOWN = new HashMap<>();

  static {
    KNOWN.put(STIRRING, Map.of(
        "initial_target_rpm", number(0, 5000), "initial_duty_cycle", number(0, 100), "pwm_hz", number(1, 100_000),
        "use_rpm", bool(), "duration_between_updates_seconds", number(0.1, 3600), "enable_dodging_od", bool(),
        "post_delay_duration", NON_NEGATIVE, "pre_delay_duration", NON_NEGATIVE,
        "target_rpm_during_od_reading", number(0, 5000), "target_rpm_outside_od_reading", number(0, 5000)));
    KNOWN.put(OD_READING, Map.of(
        "samples_per_second", number(1.0 / 3600, 10), "ir_led_intensity", either(oneOf("auto"), number(0, 100), "must be auto or a number from 0 to 100"),
        "pd_reference_ema", number(0, 1), "smoothing_penalizer", NON_NEGATIVE, "turn_off_leds_during_reading", bool(),
        "duration_between_led_off_and_od_reading", NON_NEGATIVE, "use_dark_offsets", bool(),
        "ref_normalization", oneOf("unity", "classic"), "local_ac_hz", oneOf("50", "60")));
    KNOWN.put(PHOTODIODES, Map.of("1", oneOf("45", "90", "135", "180", "REF"), "2", oneOf("45", "90", "135", "180", "REF"),
        "3", oneOf("45", "90", "135", "180", "REF"), "4", oneOf("45", "90", "135", "180", "REF")));
    KNOWN.put(DOSING, Map.of("pause_between_subdoses_seconds", NON_NEGATIVE, "waste_removal_multiplier", number(0.01, 100),
        "max_subdose", number(0.01, 1000)));
    KNOWN.put(THERMOSTAT, Map.of("Kp", FINITE, "Ki", FINITE, "Kd", FINITE));
    KNOWN.put("stirring.pid", Map.of("Kp", FINITE, "Ki", FINITE, "Kd", FINITE));
    KNOWN.put("dosing_automation.pid_morbidostat", Map.of("Kp", FINITE, "Ki", FINITE, "Kd", FINITE, "minimum_dosing_volume_ml", NON_NEGATIVE));
    KNOWN.put(GROWTH_RATE, Map.of("ekf_outlier_std_threshold", number(0.01, 1e6), "samples_for_od_statistics", integer(1, 100_000)));
    KNOWN.put("bioreactor", Map.of("efflux_tube_volume_ml", NON_NEGATIVE, "initial_volume_ml", NON_NEGATIVE,
        "initial_alt_media_fraction", number(0, 1), "initial_cumulative_media_added_ml", NON_NEGATIVE,
        "initial_cumulative_alt_media_added_ml", NON_NEGATIVE, "initial_cumulative_waste_removed_ml", NON_NEGATIVE));
    KNOWN.put(MQTT, Map.of("broker_port", integer(1, 65_535), "broker_ws_port", integer(1, 65_535), "use_tls", bool(),
        "ws_protocol", oneOf("ws", "wss")));
    KNOWN.put("logging", Map.of("ui_log_level", oneOf("DEBUG", "INFO", "NOTICE", "WARNING", "ERROR", "CRITICAL"),
        "console_log_level", oneOf("DEBUG", "INFO", "NOTICE", "WARNING", "ERROR", "CRITICAL")));
    KNOWN.put("monitor.config", Map.of("enable_button", either(oneOf("auto"), bool(), "must be auto or a yes/no value"),
        "self_check_interval_hours", NON_NEGATIVE));
    KNOWN.put("ui.overview.settings", Map.of("filtered_od_lookback_hours", NON_NEGATIVE, "raw_od_lookback_hours", NON_NEGATIVE,
        "time_display_mode", oneOf("clock_time", "hours")));
  }

  /** The PWM channels' outputs our HAT drives. */
  public static final List<String> PWM_OUTPUTS = List.of("stirring", "media", "alt_media", "waste", "heating");

  private ConfigRules() {}

  /**
   * Every problem of a configuration, each at its line. {@code complete}: the text is one the units will run with
   * (the shared one, or a merged one), so upstream's required sections must be there.
   */
  public static List<IniException> problems(Ini ini, boolean complete) {
    List<IniException> out = new ArrayList<>();
    ini.sections().forEach((name, section) -> {
      Map<String, Check> checks = KNOWN.get(name);
      if (checks != null) {
        section.options().forEach((key, o) -> {
          Check c = checks.get(key);
          String p = c == null || o.value().isEmpty() ? null : c.problem(o.value());
          if (p != null) {
            out.add(new IniException(o.line(), "[" + name + "] " + key + " " + p));
          }
        });
      }
    });
    unique(ini, PWM, "output", out);
    unique(ini, LEDS, "LED label", out);
    if (ini.hasSection(PWM)) {
      ini.sections().get(PWM).options().forEach((key, o) -> {
        if (!Set.of("1", "2", "3", "4", "5").contains(key)) {
          out.add(new IniException(o.line(), "[PWM] has channels 1 to 5, not '" + abbreviate(key) + "'"));
        }
      });
    }
    if (ini.hasSection(PHOTODIODES)) {
      long refs = ini.sections().get(PHOTODIODES).options().values().stream().filter(o -> o.value().equals("REF")).count();
      if (refs > 1) {
        out.add(new IniException(ini.sections().get(PHOTODIODES).line(), "[" + PHOTODIODES + "] has one REF channel at most, not " + refs));
      }
    }
    ini.option(TOPOLOGY, "leader_hostname").filter(o -> !o.value().isEmpty())
        .ifPresent(o -> Names.unitNameProblem(o.value()).ifPresent(p -> out.add(new IniException(o.line(), "[cluster.topology] leader_hostname: " + p))));
    for (String[] addr : new String[][] {{TOPOLOGY, "leader_address"}, {MQTT, "broker_address"}}) {
      ini.option(addr[0], addr[1]).filter(o -> o.value().startsWith("http"))
          .ifPresent(o -> out.add(new IniException(o.line(), "[" + addr[0] + "] " + addr[1] + ": don't start addresses with http:// or https://")));
    }
    if (complete) {
      if (!ini.hasSection(TOPOLOGY)) {
        out.add(new IniException(0, "missing required section [cluster.topology] (leader_hostname, leader_address)"));
      } else {
        for (String key : List.of("leader_hostname", "leader_address")) {
          if (ini.get(TOPOLOGY, key).orElse("").isEmpty()) {
            out.add(new IniException(ini.sections().get(TOPOLOGY).line(), "[cluster.topology] needs " + key));
          }
        }
      }
      if (!ini.hasSection(MQTT)) {
        out.add(new IniException(0, "missing required section [mqtt]"));
      }
    }
    out.sort(java.util.Comparator.comparingInt(IniException::line));
    return out;
  }

  /** Throws the first problem (all of them in its message when there are several). */
  public static void check(Ini ini, boolean complete) {
    List<IniException> p = problems(ini, complete);
    if (!p.isEmpty()) {
      throw p.get(0);
    }
  }

  private static void unique(Ini ini, String section, String what, List<IniException> out) {
    Ini.Section s = ini.sections().get(section);
    if (s == null) {
      return;
    }
    Map<String, Ini.Option> seen = new HashMap<>();
    for (Ini.Option o : s.options().values()) {
      if (o.value().isEmpty()) {
        continue;
      }
      Ini.Option before = seen.putIfAbsent(o.value(), o);
      if (before != null) {
        out.add(new IniException(o.line(), "[" + section + "] " + what + " '" + abbreviate(o.value()) + "' is on channel "
            + before.key() + " already (line " + before.line() + "); one channel each"));
      }
    }
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
