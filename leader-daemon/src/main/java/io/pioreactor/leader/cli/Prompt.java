package io.pioreactor.leader.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Upstream's confirmation before a cluster action ({@code pios run|kill|reboot|shutdown}): "Confirm … on N units? [y/N]",
 * asked only at a terminal (a script or a pipe has no one to answer) and not with {@code -y}/{@code --yes}. Anything but
 * {@code y} or {@code yes} is a no: nothing is sent.
 */
final class Prompt {
  private final BufferedReader in;
  private final PrintStream out;
  private final boolean terminal;

  Prompt(InputStream in, PrintStream out, boolean terminal) {
    this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    this.out = out;
    this.terminal = terminal;
  }

  /** Whoever is at this process's terminal. */
  static Prompt atTerminal(InputStream in, PrintStream out) {
    return new Prompt(in, out, interactive());
  }

  /**
   * A person at a terminal: a console whose input and output are a terminal. Java 22+ hands out a console even when
   * output is redirected; its {@code isTerminal()} (found by reflection: Java 17 lacks it) tells them apart.
   */
  static boolean interactive() {
    java.io.Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException e) {
      return true; // Java 17-21: a console exists only at a terminal
    }
  }

  /** Asks unless {@code yes}; throws a refusal (exit 1, nothing sent) on anything but yes. */
  void confirm(String question, boolean yes) {
    if (yes || !terminal) {
      return;
    }
    out.print(question + " [y/N] ");
    out.flush();
    String answer;
    try {
      answer = in.readLine();
    } catch (IOException e) {
      answer = null;
    }
    if (answer == null || !(answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"))) {
      throw new CliException(CliException.REFUSED, "not confirmed: nothing was sent");
    }
  }

  static String units(int n) {
    return n + (n == 1 ? " unit" : " units");
  }

  /** The words without {@code -y}/{@code --yes} and {@code --json}, and whether each was there. */
  record Flags(List<String> rest, boolean yes, boolean json) {
    static Flags take(List<String> words) {
      List<String> rest = new ArrayList<>();
      boolean yes = false;
      boolean json = false;
      for (String w : words) {
        switch (w) {
          case "-y", "--yes" -> yes = true;
          case "--json" -> json = true;
          default -> rest.add(w);
        }
      }
      return new Flags(rest, yes, json);
    }
  }
}
