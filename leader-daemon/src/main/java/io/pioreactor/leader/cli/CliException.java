package io.pioreactor.leader.cli;

/** Ends a command with a message and an exit code: 1 refused, 2 usage, 3 leader unreachable. */
final class CliException extends RuntimeException {
  static final int REFUSED = 1;
  static final int USAGE = 2;
  static final int UNREACHABLE = 3;

  final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  static CliException usage(String message) {
    return new CliException(USAGE, message);
  }
}
