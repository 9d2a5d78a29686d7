package io.pioreactor.leader.upstream;

import io.pioreactor.leader.telemetry.ReadingTable;
import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Readings;
import io.pioreactor.protocol.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * What upstream's web app reads to draw its Overview charts and its automation and settings dialogs, in upstream's
 * descriptor shapes (ChartDescriptor, AutomationDescriptor, SettingsCollectionDescriptor), describing what our workers
 * publish and run. Upstream reads these from YAML files on each unit; ours are the same for every unit.
 */
public final class Descriptors {
  public static final List<String> AUTOMATION_TYPES = List.of("temperature", "dosing", "led");

  private Descriptors() {}

  /** The charts: one per readings table a job of ours feeds. {@code lookback} in hours. */
  public static JsonArray charts() {
    return new JsonArray()
        .add(chart("implied_growth_rate", ReadingTable.GROWTH_RATES, "Implied growth rate", Jobs.GROWTH_RATE_CALCULATING,
            Readings.GROWTH_RATE, "Growth rate, h⁻¹", 2, List.of(-0.02, 0.1), 100_000))
        .add(chart("temperature", ReadingTable.TEMPERATURE_READINGS, "Temperature of vials", Jobs.TEMPERATURE_AUTOMATION,
            Readings.TEMPERATURE, "temperature, ℃", 1, List.of(22.5, 37.5), 100_000).put("down_sample", false))
        .add(chart("normalized_optical_density", ReadingTable.OD_READINGS_FILTERED, "Normalized optical density",
            Jobs.GROWTH_RATE_CALCULATING, Readings.OD_FILTERED, "Current OD / initial OD", 2, List.of(0.98, 1.02), 12))
        .add(chart("optical_density", ReadingTable.OD_READINGS, "Optical density", Jobs.OD_READING, null, "Reading", 3,
            List.of(0.001, 0.05), 12)
            .put("mqtt_topic", new JsonArray(List.of(1, 2, 3, 4).stream()
                .map(c -> (Object) (Jobs.OD_READING + "/" + Readings.odChannel(c))).toList()))
            .put("payload_key", "od"))
        .add(chart("stirring_rate", ReadingTable.STIRRING_RATES, "Stirring rate", Jobs.STIRRING, Topics.MEASURED_RPM,
            "RPM", 0, null, 12).put("data_source_column", ReadingTable.STIRRING_RATES.valueColumn()));
  }

  private static JsonObject chart(String key, ReadingTable table, String title, String job, String attribute, String yLabel,
                                  int decimals, List<Double> domain, double lookbackHours) {
    return new JsonObject()
        .put("chart_key", key)
        .put("data_source", table.table())
        .put("title", title)
        .put("source", "app")
        .put("y_axis_label", yLabel)
        .put("fixed_decimals", decimals)
        .put("down_sample", true)
        .put("mqtt_topic", attribute == null ? null : job + "/" + attribute)
        .put("lookback", lookbackHours)
        .put("data_source_column", null)
        .put("payload_key", attribute)
        .put("y_transformation", "(y) => y")
        .put("y_axis_domain", domain == null ? null : new JsonArray(List.copyOf(domain)))
        .put("interpolation", "stepAfter");
  }

  /** The automations of one type our workers run ({@code automation_name} is what the run's options name). */
  public static Optional<JsonArray> automations(String type) {
    return switch (type) {
      case "temperature" -> Optional.of(new JsonArray().add(automation("Thermostat", Jobs.THERMOSTAT,
          "Holds the culture near a target temperature: the heater's duty follows the gap to the target.",
          field("target_temperature", 30, "Target temperature", "℃"))));
      case "dosing" -> Optional.of(new JsonArray().add(automation("Chemostat", Jobs.CHEMOSTAT,
          "Exchanges a volume of media on a fixed schedule (media in, then waste out).",
          field("volume", 0.5, "Volume", "mL"), field("duration", 20, "Time between exchanges", "min"))));
      case "led" -> Optional.of(new JsonArray().add(automation("Light/Dark Cycle", Jobs.LIGHT_DARK_CYCLE,
          "Turns the LEDs on and off on a light/dark schedule.",
          field("light_intensity", 50, "Intensity", "%"), field("light_hours", 16, "Light duration", "h"),
          field("dark_hours", 8, "Dark duration", "h"))));
      default -> Optional.empty();
    };
  }

  private static JsonObject automation(String displayName, String name, String description, JsonObject... fields) {
    return new JsonObject().put("display_name", displayName).put(Jobs.AUTOMATION_NAME, name).put("description", description)
        .put("source", "app").put("fields", new JsonArray(List.of((Object[]) fields)));
  }

  private static JsonObject field(String key, Object dflt, String label, String unit) {
    return new JsonObject().put("key", key).put("default", dflt).put("label", label).put("disabled", false)
        .put("required", true).put("unit", unit).put("type", "numeric").put("options", null);
  }

  /**
   * Settings collections: groups of unit-level settings the page shows. Ours: the PWM outputs' duty cycles
   * ({@code $experiment/pwms/dc}, which every worker publishes). Upstream's bioreactor volumes and LED levels are not
   * published by our workers (LED levels are led_intensity's {@code intensity}), so they are not described.
   */
  public static JsonArray settings() {
    return new JsonArray().add(new JsonObject().put("key", Topics.PWMS).put("display_name", "PWMs").put("display", false)
        .put("source", "app").put("description", "What each PWM output is driving now, by BCM pin: duty cycle in %.")
        .put("subtext", null)
        .put("published_settings", new JsonArray().add(new JsonObject().put("key", Topics.DUTY_CYCLES).put("type", "string")
            .put("display", true).put("description", null).put("default", null).put("unit", null).put("label", "PWM duty cycles")
            .put("editable", false).put("min", null).put("max", null))));
  }
}
