package io.pioreactor.protocol;

/**
 * The names of what jobs measure, as upstream publishes them: a job attribute ({@code pioreactor/<u>/<exp>/<job>/<name>})
 * (the events and {@code measured_rpm} are named in {@link Topics}). Workers publish under these names and the leader
 * stores each in upstream's table of the same meaning.
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

  /** The attribute of one OD channel (1–4). */
  public static String odChannel(int channel) {
    return OD_CHANNEL_PREFIX + channel;
  }
}
