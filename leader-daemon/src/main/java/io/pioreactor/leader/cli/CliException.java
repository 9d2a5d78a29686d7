package io.pioreactor.leader.cli;

/** Ends a command with a message and an exit code: 1 refused, 2 usage, 3 leader unreachable. */
final class CliException extends RuntimeException {
  static final int REFUSED = 1;
  static final int USAGE = 2;
  static final int UNREACHABLE = 3;

  final int exitCode;
  /** The leader's HTTP status when it refused, else 0. */
  final int httpStatus;
  /** The leader's error body when it refused ({@code {error, status, cause?, remediation?, problems?}}), else null. */
  final Object body;

  CliException(int exitCode, String message) {
    this(exitCode, message, 0, null);
  }

  private CliException(int exitCode, String message, int httpStatus, Object body) {
    super(message);
    this.exitCode = exitCode;
    this.httpStatus = httpStatus;
    this.body = body;
  }

  static CliException usage(String message) {
    return new CliException(USAGE, message);
  }

  /** The leader answered {@code httpStatus} (4xx, 5xx) with {@code body}. */
  static CliException refused(int httpStatus, Object body) {
    return new CliException(REFUSED, LeaderClient.describe(httpStatus, body), httpStatus, body);
  }
}
