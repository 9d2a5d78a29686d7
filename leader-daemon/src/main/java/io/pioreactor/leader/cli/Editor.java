package io.pioreactor.leader.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The user's editor, {@code $EDITOR} (default {@code vi}), run on a file with the terminal handed over until it exits.
 * Started directly, never through a shell: {@code $EDITOR} is a program, or a program and its arguments separated by
 * spaces ({@code "emacs -nw"}), and the file is one more argument, so nothing in either is interpreted.
 */
final class Editor {
  private final List<String> command;

  private Editor(List<String> command) {
    this.command = command;
  }

  static Editor fromEnvironment(Map<String, String> env) {
    String editor = env.getOrDefault("EDITOR", "").strip();
    if (editor.isEmpty()) {
      return new Editor(List.of("vi"));
    }
    try {
      if (Files.isExecutable(Path.of(editor))) {
        return new Editor(List.of(editor)); // a path that itself has spaces
      }
    } catch (java.nio.file.InvalidPathException e) {
      // not a path: a command and its arguments
    }
    return new Editor(List.of(editor.split("\\s+")));
  }

  /** Opens {@code file} and waits for the editor to exit; an editor that fails or cannot start is a usage error. */
  void edit(Path file) {
    List<String> argv = new ArrayList<>(command);
    argv.add(file.toString());
    int exit;
    try {
      exit = new ProcessBuilder(argv).inheritIO().start().waitFor();
    } catch (IOException e) {
      throw CliException.usage("cannot start the editor '" + String.join(" ", command) + "' (" + e.getMessage()
          + "); set $EDITOR to one you have, or edit a copy and use --from FILE");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(CliException.REFUSED, "interrupted while the editor ran");
    }
    if (exit != 0) {
      throw new CliException(CliException.REFUSED, "the editor '" + String.join(" ", command) + "' exited with " + exit);
    }
  }
}
