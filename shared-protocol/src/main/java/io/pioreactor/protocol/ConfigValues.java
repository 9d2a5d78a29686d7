package io.pioreactor.protocol;

import io.vertx.core.json.JsonObject;

/** Reading a config block's values once, with one wording for every refusal. */
public final class ConfigValues {
  private ConfigValues() {}

  /**
   * {@code block.key} as a whole number in {@code [min, max]}, {@code dflt} when absent; anything else is refused with
   * an IllegalArgumentException naming {@code blockName.key} and the range.
   */
  public static int wholeNumber(JsonObject block, String blockName, String key, int dflt, int min, int max) {
    Object v = block.getValue(key, dflt);
    if (!(v instanceof Integer i) || i < min || i > max) {
      throw new IllegalArgumentException(blockName + "." + key + " must be a whole number between " + min + " and " + max);
    }
    return i;
  }
}
