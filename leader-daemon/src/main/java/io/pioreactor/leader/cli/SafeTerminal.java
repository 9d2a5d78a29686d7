package io.pioreactor.leader.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What the CLI prints comes in part from units (an address, a name, a log line, a payload): a terminal must never
 * take it as instructions. Every line goes through here; control characters other than newline and tab (escape
 * sequences, carriage returns that overwrite a line, bells) are shown as {@code \\u001b} and the like.
 */
final class SafeTerminal {
  private SafeTerminal() {}

  static PrintStream wrap(PrintStream target) {
    return new PrintStream(new OutputStream() {
      @Override
      public void write(int b) {
        target.write(b);
      }
    }, true, StandardCharsets.UTF_8) {
      @Override
      public void print(String s) {
        target.print(escape(s));
      }

      @Override
      public void println(String s) {
        target.println(escape(s));
      }

      @Override
      public void print(Object o) {
        print(String.valueOf(o));
      }

      @Override
      public void println(Object o) {
        println(String.valueOf(o));
      }

      @Override
      public void flush() {
        target.flush();
      }
    };
  }

  static String escape(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean unsafe = (Character.isISOControl(c) && c != '\n' && c != '\t') || c == '\u2028' || c == '\u2029'
          || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069'); // bidirectional overrides too
      if (unsafe && b == null) {
        b = new StringBuilder(s.substring(0, i));
      }
      if (b != null) {
        if (unsafe) {
          b.append(String.format("\\u%04x", (int) c));
        } else {
          b.append(c);
        }
      }
    }
    return b == null ? s : b.toString();
  }
}
