package io.pioreactor.leader.config;

import io.pioreactor.protocol.ConfigValues;
import io.vertx.core.json.JsonObject;

/**
 * How much of what units publish the leader keeps (the {@code storage} block, docs/config.md): what one unit may have
 * stored per second (beyond it, lines are dropped and the leader says so once a minute), how long a log line may be,
 * and how many rows the log and the activity history keep (the oldest go first; 0: no bound). Experiments' data is
 * the lab's: the activity history keeps two million rows unless told otherwise, and readings (od_readings and the rest)
 * are kept for ever unless {@code readings_max_age_days} says otherwise; a unit may have {@code readings_rate_per_unit}
 * rows a second stored in each readings table (OD at 1 Hz on four channels is 4).
 */
public record StorageLimits(int logRatePerUnit, int logBurstPerUnit, int logMaxChars, long logMaxRows, int logMaxAgeDays,
                            int historyRatePerUnit, int historyBurstPerUnit, long historyMaxRows,
                            int readingsRatePerUnit, int readingsBurstPerUnit, int readingsMaxAgeDays) {

  public static StorageLimits fromJson(JsonObject o) {
    JsonObject c = o == null ? new JsonObject() : o;
    return new StorageLimits(
        ConfigValues.wholeNumber(c, "storage", "log_rate_per_unit", 10, 1, 100_000),
        ConfigValues.wholeNumber(c, "storage", "log_burst_per_unit", 300, 1, 1_000_000),
        ConfigValues.wholeNumber(c, "storage", "log_max_chars", 4_096, 256, 1_048_576),
        ConfigValues.wholeNumber(c, "storage", "log_max_rows", 1_000_000, 0, 1_000_000_000),
        ConfigValues.wholeNumber(c, "storage", "log_max_age_days", 0, 0, 100_000),
        ConfigValues.wholeNumber(c, "storage", "history_rate_per_unit", 20, 1, 100_000),
        ConfigValues.wholeNumber(c, "storage", "history_burst_per_unit", 500, 1, 1_000_000),
        ConfigValues.wholeNumber(c, "storage", "history_max_rows", 2_000_000, 0, 1_000_000_000),
        ConfigValues.wholeNumber(c, "storage", "readings_rate_per_unit", 10, 1, 100_000),
        ConfigValues.wholeNumber(c, "storage", "readings_burst_per_unit", 200, 1, 1_000_000),
        ConfigValues.wholeNumber(c, "storage", "readings_max_age_days", 0, 0, 100_000));
  }
}
