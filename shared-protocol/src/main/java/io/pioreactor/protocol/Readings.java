package io.pioreactor.protocol;

/**
 * The names of what jobs measure, as upstream publishes them: a job attribute ({@code pioreactor/<u>/<exp>/<job>/<name>})
 * or, for events, a segment of its own ({@code pioreactor/<u>/<exp>/dosing_events}). Workers publish under these names
 * and the leader stores each in upstream's table of the same meaning.
 */
public final class Readings {
  private Readings() {}

  /** {@code od_reading/od1} … {@code od4}: one photodiode channel, {@code {od, angle, channel, timestamp}}. */
  public static final String OD_CHANNEL_PREFIX = "od";
  /** {@code od_reading/ods}: every channel at once (not stored: the per-channel topics are). */
  public static final String ODS = "ods";
  /** {@code growth_rate_calculating/od_filtered}: {@code {od_filtered, timestamp}}. */
  public static final String OD_FILTERED = "od_filtered";
  /** {@code growth_rate_calculating/growth_rate}: {@code {growth_rate, timestamp}} (per hour). */
  public static final String GROWTH_RATE = "growth_rate";
  /** {@code temperature_automation/temperature}: {@code {temperature, timestamp}} (°C). */
  public static final String TEMPERATURE = "temperature";
  /** {@code stirring/measured_rpm}: {@code {measured_rpm, timestamp}}. */
  public static final String MEASURED_RPM = "measured_rpm";
  /** {@code pioreactor/<u>/<exp>/dosing_events}: {@code {volume_change, event, source_of_event, timestamp}}. */
  public static final String DOSING_EVENTS = "dosing_events";
  /** {@code pioreactor/<u>/<exp>/led_change_events}: {@code {channel, intensity, source_of_event, timestamp}}. */
  public static final String LED_CHANGE_EVENTS = "led_change_events";

  /** The attribute of one OD channel (1–4). */
  public static String odChannel(int channel) {
    return OD_CHANNEL_PREFIX + channel;
  }
}
