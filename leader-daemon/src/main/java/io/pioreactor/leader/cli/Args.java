package io.pioreactor.leader.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Positional arguments, {@code -x value} / {@code --name value} options and {@code --flag}s (no value), checked against
 * what a command takes.
 */
final class Args {
  final List<String> positional = new ArrayList<>();
  final Map<String, List<String>> options = new LinkedHashMap<>();
  private final Set<String> flagsGiven = new java.util.HashSet<>();

  static Args parse(List<String> words, Set<String> allowed) {
    return parse(words, allowed, Set.of());
  }

  static Args parse(List<String> words, Set<String> allowed, Set<String> flags) {
    Args a = new Args();
    boolean optionsEnded = false;
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      if (optionsEnded) {
        a.positional.add(w);
      } else if (w.equals("--")) {
        optionsEnded = true; // what follows is positional, even if it starts with '-'
      } else if (flags.contains(w)) {
        a.flagsGiven.add(w);
      } else if (w.startsWith("-") && w.length() > 1 && !w.matches("-\\d+(\\.\\d+)?")) {
        if (!allowed.contains(w)) {
          throw CliException.usage("unknown option " + w);
        }
        if (i + 1 >= words.size()) {
          throw CliException.usage(w + " needs a value");
        }
        a.options.computeIfAbsent(w, k -> new ArrayList<>()).add(words.get(++i));
      } else {
        a.positional.add(w);
      }
    }
    return a;
  }

  String one(String... names) {
    for (String n : names) {
      List<String> v = options.get(n);
      if (v != null) {
        return v.get(v.size() - 1);
      }
    }
    return null;
  }

  boolean flag(String name) {
    return flagsGiven.contains(name);
  }

  List<String> all(String name) {
    return options.getOrDefault(name, List.of());
  }

  String required(int index, String what) {
    if (positional.size() <= index) {
      throw CliException.usage("missing " + what);
    }
    return positional.get(index);
  }

  void atMost(int n) {
    if (positional.size() > n) {
      throw CliException.usage("unexpected argument '" + positional.get(n) + "'");
    }
  }
}
