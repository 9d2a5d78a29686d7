package io.pioreactor.leader.cli;

import static io.pioreactor.leader.cli.LeaderClient.segment;

import io.vertx.core.json.JsonObject;

/**
 * Which configuration text a {@code pio config} command reads and writes: the shared one (every unit runs it), or one
 * unit's specific one (its overrides). Both are INI text, read whole and written whole.
 *
 * @param unit null for the shared configuration
 */
record ConfigTarget(String unit) {
  static ConfigTarget of(String unit) {
    return new ConfigTarget(unit == null ? null : WorkersCommands.checkedUnit(unit));
  }

  boolean shared() {
    return unit == null;
  }

  /** GET returns the text, PATCH {@code {"code": text}} replaces it. */
  String path() {
    return shared() ? "/api/config/shared" : "/api/config/units/" + segment(unit) + "/specific";
  }

  String describe() {
    return shared() ? "the shared configuration" : unit + "'s specific configuration";
  }

  /** The options that name this target on the command line again, for a hint ("" or " --unit worker1"). */
  String option() {
    return shared() ? "" : " --unit " + unit;
  }

  String read(LeaderClient leader) {
    String text = leader.text(path());
    return text == null ? "" : text;
  }

  /** Stores {@code text}; a refusal comes as a {@link CliException} with the leader's body (its {@code problems}). */
  void write(LeaderClient leader, String text) {
    leader.send("PATCH", path(), new JsonObject().put("code", text));
  }
}
