package io.pioreactor.worker.hardware;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Pins, buses and calibrations from the worker config's {@code hardware} section. Defaults follow
 * upstream's HAT: PWM channels 1-5 on BCM 17 (stirring), 13 (media), 16 (alt media), 12 (waste), 18 (heater); the
 * stirring fan's hall-effect sensor on BCM 21 (upstream's {@code hall_sensor_pin}), read every
 * {@code stirring_update_seconds} (upstream's {@code duration_between_updates_seconds}, 23).
 */
public record HatSettings(boolean mock, Map<String, Integer> pwmPins, int pwmFrequencyHz, int i2cBus,
                          int ledDriverAddress, int adcAddress, double stirringDutyPerRpm, double stirringDutyOffset,
                          Map<String, Double> pumpMlPerSecond, double odIntervalSeconds, int thermometerAddress,
                          int hallSensorPin, double stirringUpdateSeconds) {

  public static final String STIRRING = "stirring";
  public static final String MEDIA = "media";
  public static final String ALT_MEDIA = "alt_media";
  public static final String WASTE = "waste";
  public static final String HEATER = "heater";

  public static HatSettings fromJson(JsonObject hw, boolean mock) {
    JsonObject pins = hw.getJsonObject("pwm_pins", new JsonObject());
    Map<String, Integer> pwmPins = Map.of(
        STIRRING, pin(pins, STIRRING, 17), MEDIA, pin(pins, MEDIA, 13),
        ALT_MEDIA, pin(pins, ALT_MEDIA, 16), WASTE, pin(pins, WASTE, 12), HEATER, pin(pins, HEATER, 18));
    if (pwmPins.values().stream().distinct().count() != pwmPins.size()) {
      throw new IllegalArgumentException("hardware.pwm_pins: two outputs share a pin");
    }
    JsonObject stirring = hw.getJsonObject("stirring_calibration", new JsonObject());
    JsonObject pumps = hw.getJsonObject("pump_ml_per_second", new JsonObject());
    Map<String, Double> rates = Map.of(
        MEDIA, positive(pumps, MEDIA, 0.5), ALT_MEDIA, positive(pumps, ALT_MEDIA, 0.5), WASTE, positive(pumps, WASTE, 0.5));
    return new HatSettings(mock, pwmPins, intIn(hw, "pwm_frequency_hz", 10_000, 1, 1_000_000),
        intIn(hw, "i2c_bus", 1, 0, 20), intIn(hw, "led_driver_address", 0x49, 0x03, 0x77),
        intIn(hw, "adc_address", 0x48, 0x03, 0x77),
        stirring.getDouble("duty_per_rpm", 0.0625), stirring.getDouble("duty_offset", 0.0), rates,
        hw.getDouble("od_interval_seconds", 5.0), intIn(hw, "thermometer_address", 0x4F, 0x03, 0x77),
        hallPin(hw, pwmPins), numberIn(hw, "stirring_update_seconds", 23, 0.1, 3600));
  }

  private static int hallPin(JsonObject hw, Map<String, Integer> pwmPins) {
    int p = intIn(hw, "hall_sensor_pin", 21, 0, 53);
    if (pwmPins.containsValue(p)) {
      throw new IllegalArgumentException("hardware.hall_sensor_pin: " + p + " is a PWM output's pin");
    }
    return p;
  }

  private static double numberIn(JsonObject o, String key, double dflt, double min, double max) {
    Object v = o.getValue(key);
    double d = v == null ? dflt : v instanceof Number n ? n.doubleValue() : Double.NaN;
    if (!(d >= min && d <= max)) {
      throw new IllegalArgumentException("hardware." + key + " must be a number " + min + "-" + max);
    }
    return d;
  }

  private static int pin(JsonObject o, String key, int dflt) {
    int p = intIn(o, key, dflt, 0, 53);
    return p;
  }

  private static int intIn(JsonObject o, String key, int dflt, int min, int max) {
    Object v = o.getValue(key);
    int n = v == null ? dflt : v instanceof Integer i ? i : -1;
    if (n < min || n > max) {
      throw new IllegalArgumentException("hardware." + key + " must be an integer " + min + "-" + max);
    }
    return n;
  }

  private static double positive(JsonObject o, String key, double dflt) {
    Object v = o.getValue(key);
    double d = v == null ? dflt : v instanceof Number n ? n.doubleValue() : -1;
    if (!(d > 0)) {
      throw new IllegalArgumentException("hardware.pump_ml_per_second." + key + " must be a positive number");
    }
    return d;
  }

  /**
   * The calibration read backwards: the rpm a duty cycle gives (0 for 0), or NaN when the calibration cannot say
   * (no slope). The mock platform's fan turns at this speed.
   */
  public double rpmForDuty(double duty) {
    if (duty <= 0) {
      return 0;
    }
    return stirringDutyPerRpm > 0 ? Math.max(0, (duty - stirringDutyOffset) / stirringDutyPerRpm) : Double.NaN;
  }

  /** Stirring calibration: the duty cycle that gives {@code rpm}, clamped to 0-100. */
  public double dutyForRpm(double rpm) {
    return rpm <= 0 ? 0 : Math.max(0, Math.min(100, stirringDutyOffset + stirringDutyPerRpm * rpm));
  }
}
