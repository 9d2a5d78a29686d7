package io.pioreactor.protocol.config;

/** A configuration refused: the (1-based) line where the problem is (0: the whole text), and what is wrong. */
public final class IniException extends IllegalArgumentException {
  private final int line;

  public IniException(int line, String problem) {
    super(line > 0 ? "line " + line + ": " + problem : problem);
    this.line = line;
  }

  public int line() {
    return line;
  }
}
