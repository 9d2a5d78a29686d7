package io.pioreactor.leader.upstream;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code GET /api/jobs/descriptors}: the jobs our worker daemon runs, described in upstream's
 * background-job descriptor shape (display_name, job_name, display, published_settings, source, description,
 * subtext, is_testing), so upstream's web app can list them and read their retained settings. {@code self_test}
 * is listed (hidden, as upstream lists it) because upstream's Inventory reads its results by these keys.
 */
public final class JobDescriptors {
  private JobDescriptors() {}

  public static JsonArray all() {
    JsonArray out = new JsonArray();
    out.add(job("Stirring", "stirring", true, "Stirs the culture with the fan under the vial; needed for mixing and steady OD readings.", null,
        setting("target_rpm", "numeric", true, "Target stir RPM", "RPM", "The stirring speed the fan is held at.", true),
        setting("duty_cycle", "numeric", false, null, "%", "The PWM duty cycle driving the fan.", true),
        setting("measured_rpm", "json", false, null, "RPM", "The fan's measured speed: {measured_rpm, timestamp}.", false)));
    out.add(job("Optical density", "od_reading", true, "Measures the culture's optical density at a fixed interval.", null,
        setting("interval", "numeric", false, "Interval", "s", "Seconds between readings.", true)));
    out.add(job("Growth rate", "growth_rate_calculating", true, "Turns optical density readings into a growth rate.", null,
        setting("growth_rate", "json", false, null, null, null, false),
        setting("od_filtered", "json", false, null, null, null, false)));
    out.add(job("Temp. automation", "temperature_automation", true, "Holds the culture at a target temperature with the heater.",
        "automation_name",
        setting("target_temperature", "numeric", true, "Target temperature", "℃", "The temperature the heater aims for.", true),
        setting("temperature", "json", false, null, null, null, false),
        setting("automation_name", "string", false, null, null, null, false)));
    out.add(job("Dosing automation", "dosing_automation", true, "Exchanges media on a schedule with the pumps.", "automation_name",
        setting("volume", "numeric", false, null, "mL", null, false),
        setting("duration", "numeric", false, null, "min", null, false),
        setting("vial_exchanges", "numeric", false, null, null, null, false),
        setting("automation_name", "string", false, null, null, null, false)));
    out.add(job("LED automation", "led_automation", true, "Drives the LEDs on a light schedule.", "automation_name",
        setting("light_intensity", "numeric", false, null, "%", null, false),
        setting("light_active", "boolean", false, null, null, null, false),
        setting("automation_name", "string", false, null, null, null, false)));
    out.add(job("LED intensity", "led_intensity", false, "Sets the intensity of the LED channels A to D.", null,
        setting("intensity", "json", false, null, null, null, true)));
    for (String[] pump : new String[][] {{"Add media", "add_media"}, {"Remove waste", "remove_waste"}, {"Add alt. media", "add_alt_media"}}) {
      out.add(job(pump[0], pump[1], false, "Runs the pump for a volume or a duration.", null,
          setting("duration", "numeric", false, null, "s", null, false),
          setting("ml", "numeric", false, null, "mL", null, false)));
    }
    JsonArray selfTest = new JsonArray();
    for (String key : new String[] {"test_detect_heating_pcb", "test_positive_correlation_between_temperature_and_heating",
        "test_all_positive_correlations_between_pds_and_leds", "test_ambient_light_interference",
        "test_REF_is_lower_than_0_dot_256_volts", "test_positive_correlation_between_rpm_and_stirring",
        "test_pioreactor_HAT_present", "test_dark_offset_correction_is_effective", "test_REF_is_in_correct_position",
        "test_aux_power_is_not_too_high", "test_PD_is_near_0_volts_for_blank", "test_pwm_outputs_accept_duty_cycles",
        "all_tests_passed"}) {
      selfTest.add(setting(key, "boolean", false, null, null, null, true));
    }
    selfTest.add(setting("correlations_between_pds_and_leds", "json", false, null, null, null, true));
    // Ours: the run's {at, passed, failed, reasons} (SelfTestResult); upstream's dialog reads the test_* above.
    selfTest.add(setting("results", "json", false, null, null, null, false));
    out.add(job("self test", "self_test", false, null, null).put("published_settings", selfTest));
    return out;
  }

  private static JsonObject job(String displayName, String jobName, boolean display, String description, String subtext,
                                JsonObject... settings) {
    return new JsonObject()
        .put("display_name", displayName)
        .put("job_name", jobName)
        .put("display", display)
        .put("published_settings", new JsonArray(java.util.List.of((Object[]) settings)))
        .put("source", "app")
        .put("description", description)
        .put("subtext", subtext)
        .put("is_testing", false);
  }

  private static JsonObject setting(String key, String type, boolean display, String label, String unit, String description,
                                    boolean editable) {
    return new JsonObject()
        .put("key", key)
        .put("type", type)
        .put("display", display)
        .put("description", description)
        .put("default", null)
        .put("unit", unit)
        .put("label", label)
        .put("editable", editable)
        .put("min", null)
        .put("max", null);
  }
}
