package io.pioreactor.leader.cli;

import io.vertx.core.json.JsonObject;

/**
 * A unit's merged configuration, as the leader gives it ({@code {section: {key: value}}}, sections in order), written
 * back as INI text: what {@code pio config show --unit U --merged} prints, in the same form as the files it came from.
 */
final class MergedConfigText {
  private MergedConfigText() {}

  static String of(JsonObject sections) {
    StringBuilder sb = new StringBuilder();
    for (var section : sections) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append('[').append(section.getKey()).append("]\n");
      if (section.getValue() instanceof JsonObject options) {
        for (var option : options) {
          // A value over several lines continues on indented lines, as in the files.
          String[] lines = (option.getValue() == null ? "" : String.valueOf(option.getValue())).split("\n", -1);
          sb.append(option.getKey()).append('=').append(lines[0]).append('\n');
          for (int i = 1; i < lines.length; i++) {
            sb.append("    ").append(lines[i]).append('\n');
          }
        }
      }
    }
    return sb.toString();
  }
}
