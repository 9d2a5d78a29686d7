package io.pioreactor.leader.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What to tell someone whose configuration the leader refused: every problem with its line number and that line's
 * text (the leader checks the whole text and lists every problem it found in {@code problems: [{line, message}]}).
 */
final class ConfigRefusal {
  private ConfigRefusal() {}

  /**
   * The refusal {@code e} of {@code text} (an edit of {@code what}), as lines for stderr; a refusal without problems
   * keeps the leader's words.
   */
  static String describe(CliException e, String text, ConfigTarget what) {
    JsonArray problems = e.body instanceof JsonObject o ? o.getJsonArray("problems") : null;
    if (problems == null || problems.isEmpty()) {
      return e.getMessage();
    }
    List<String> lines = text.lines().toList();
    StringBuilder sb = new StringBuilder("the leader refused the edit of ").append(what.describe()).append(" (")
        .append(problems.size() == 1 ? "1 problem" : problems.size() + " problems").append("); nothing was stored:");
    for (Object p : problems) {
      if (!(p instanceof JsonObject problem)) {
        continue;
      }
      int line = problem.getInteger("line", 0);
      // The message starts "line N: " already; said once, in front.
      String message = problem.getString("message", "").replaceFirst("^line \\d+: ", "");
      sb.append("\n  ").append(line > 0 ? "line " + line + ": " : "").append(message);
      if (line > 0 && line <= lines.size()) {
        sb.append("\n      | ").append(lines.get(line - 1));
      }
    }
    return sb.toString();
  }
}
