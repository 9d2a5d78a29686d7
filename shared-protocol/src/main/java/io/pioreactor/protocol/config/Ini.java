package io.pioreactor.protocol.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A configuration file in upstream's INI dialect (Python's configparser as Pioreactor uses it): {@code [section]}
 * headers, {@code key=value} or {@code key: value} options, whole-line comments ({@code #} or {@code ;}), indented
 * lines continuing the value above (indented deeper than the option's own line: options indented alike are options
 * of their own, as configparser reads them). Keys keep their case ({@code Kp}). Parsing keeps the text and where every option
 * is, so an edit of one option ({@link #with}) leaves every other line, comments included, as it was.
 */
public final class Ini {
  /** Bounds: a configuration is a few KB; these only keep a hostile body from costing the leader. MAX_BYTES is UTF-8 bytes. */
  public static final int MAX_BYTES = 256 * 1024;
  public static final int MAX_SECTIONS = 500;
  public static final int MAX_OPTIONS = 10_000;

  /** One option: its value and the (1-based) line it starts on; {@code lastLine} covers continuation lines. */
  public record Option(String key, String value, int line, int lastLine) {}

  /** One section: its options in order, and the line of its header. */
  public record Section(String name, int line, Map<String, Option> options) {}

  private final List<String> lines;
  private final Map<String, Section> sections;

  private Ini(List<String> lines, Map<String, Section> sections) {
    this.lines = lines;
    this.sections = sections;
  }

  public static Ini empty() {
    return new Ini(List.of(), new LinkedHashMap<>());
  }

  /** Parses; a problem is reported with its line and what to do ({@link IniException}). */
  public static Ini parse(String text) {
    long bytes = text.length() > MAX_BYTES / 3 ? utf8Length(text) : text.length();
    if (bytes > MAX_BYTES) {
      throw new IniException(0, "the configuration is " + bytes + " bytes; at most " + MAX_BYTES);
    }
    // Upstream (issue 539): en and em dashes pasted from documents become hyphens.
    String normalized = text.replace('\u2013', '-').replace('\u2014', '-');
    List<String> lines = new ArrayList<>(List.of(normalized.split("\r?\n", -1)));
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    Map<String, Section> sections = new LinkedHashMap<>();
    Section current = null;
    String lastKey = null;
    int lastIndent = 0;
    int options = 0;
    for (int i = 0; i < lines.size(); i++) {
      int n = i + 1;
      String raw = lines.get(i);
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      int indent = raw.length() - raw.stripLeading().length();
      // As configparser: a line indented deeper than its option's line continues that option's value.
      if (current != null && lastKey != null && indent > lastIndent) {
        Option o = current.options().get(lastKey);
        current.options().put(lastKey, new Option(o.key(), o.value().isEmpty() ? line : o.value() + "\n" + line, o.line(), n));
        continue;
      }
      if (line.startsWith("[")) {
        if (!line.endsWith("]") || line.length() < 3) {
          throw new IniException(n, "a section header is written [name], not " + abbreviate(line));
        }
        String name = line.substring(1, line.length() - 1).strip();
        if (name.isEmpty()) {
          throw new IniException(n, "a section needs a name: [name], not " + abbreviate(line));
        }
        Section before = sections.get(name);
        if (before != null) {
          throw new IniException(n, "section [" + name + "] appears twice (first on line " + before.line() + "); merge them into one");
        }
        if (sections.size() >= MAX_SECTIONS) {
          throw new IniException(n, "more than " + MAX_SECTIONS + " sections");
        }
        current = new Section(name, n, new LinkedHashMap<>());
        sections.put(name, current);
        lastKey = null;
        continue;
      }
      int eq = firstSeparator(line);
      if (eq <= 0) {
        throw new IniException(n, "expected key=value, a [section] or a comment, not " + abbreviate(line));
      }
      if (current == null) {
        throw new IniException(n, "an option before any [section]: put it under one");
      }
      String key = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      Option before = current.options().get(key);
      if (before != null) {
        throw new IniException(n, "option '" + key + "' appears twice in [" + current.name() + "] (first on line "
            + before.line() + "); keep one");
      }
      if (++options > MAX_OPTIONS) {
        throw new IniException(n, "more than " + MAX_OPTIONS + " options");
      }
      current.options().put(key, new Option(key, value, n, n));
      lastKey = key;
      lastIndent = indent;
    }
    return new Ini(lines, sections);
  }

  private static int firstSeparator(String line) {
    int eq = line.indexOf('=');
    int colon = line.indexOf(':');
    if (eq < 0) {
      return colon;
    }
    return colon < 0 ? eq : Math.min(eq, colon);
  }

  public Map<String, Section> sections() {
    return Collections.unmodifiableMap(sections);
  }

  public boolean hasSection(String section) {
    return sections.containsKey(section);
  }

  public Optional<String> get(String section, String key) {
    Section s = sections.get(section);
    Option o = s == null ? null : s.options().get(key);
    return o == null ? Optional.empty() : Optional.of(o.value());
  }

  public Optional<Option> option(String section, String key) {
    Section s = sections.get(section);
    return Optional.ofNullable(s == null ? null : s.options().get(key));
  }

  /** The sections as plain maps (upstream's merged-config shape: section → key → value). */
  public Map<String, Map<String, String>> asMap() {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    sections.forEach((name, s) -> {
      Map<String, String> opts = new LinkedHashMap<>();
      s.options().forEach((k, o) -> opts.put(k, o.value()));
      out.put(name, opts);
    });
    return out;
  }

  /** The text, as parsed (or as edited by {@link #with}). */
  public String text() {
    return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
  }

  /**
   * This configuration with {@code section}'s options replaced by {@code options} (in that order) in one edit: the
   * section where it is (its comments between options go with them), else a new one at the end. One parse, however
   * many options: the leader writes an inventory's address book this way.
   */
  public Ini withSection(String section, Map<String, String> options) {
    StringBuilder block = new StringBuilder();
    options.forEach((k, v) -> {
      if (k.isBlank() || k.contains("=") || k.contains(":") || k.contains("\n") || v.contains("\n") || v.contains("\r")) {
        throw new IniException(0, "'" + k + "' cannot be written as an option of [" + section + "]");
      }
      block.append(k).append('=').append(v).append('\n');
    });
    List<String> out = new ArrayList<>(lines);
    Section s = sections.get(section);
    if (s == null) {
      if (!out.isEmpty() && !out.get(out.size() - 1).isBlank()) {
        out.add("");
      }
      out.add("[" + section + "]");
      out.addAll(List.of(block.toString().split("\n", -1)).subList(0, options.size()));
    } else {
      int first = s.line();
      int last = s.line();
      for (Option o : s.options().values()) {
        last = Math.max(last, o.lastLine());
      }
      for (int l = last; l > first; l--) {
        out.remove(first); // the lines after the header, up to its last option (0-based index = 1-based line)
      }
      out.addAll(first, List.of(block.toString().split("\n", -1)).subList(0, options.size()));
    }
    return parse(String.join("\n", out) + "\n");
  }

  /** This configuration without one option (its line and continuation lines); as it is when there is none. */
  public Ini without(String section, String key) {
    Section s = sections.get(section);
    Option o = s == null ? null : s.options().get(key);
    if (o == null) {
      return this;
    }
    List<String> out = new ArrayList<>(lines);
    for (int l = o.lastLine(); l >= o.line(); l--) {
      out.remove(l - 1);
    }
    return parse(out.isEmpty() ? "" : String.join("\n", out) + "\n");
  }

  /**
   * This configuration with one option set: its line rewritten where it is, else added at the end of its section,
   * else in a new section at the end. Every other line stays as it was.
   */
  public Ini with(String section, String key, String value) {
    if (key.isBlank() || key.contains("=") || key.contains(":") || key.startsWith("[") || key.startsWith("#")
        || key.startsWith(";") || !key.equals(key.strip()) || key.contains("\n") || key.contains("\r")) {
      throw new IniException(0, abbreviate(key) + " cannot be an option's name");
    }
    // (a name with spaces around it would read back without them: another section, or a duplicate of one)
    if (section.isBlank() || section.contains("]") || section.contains("\n") || section.contains("\r")
        || !section.equals(section.strip())) {
      throw new IniException(0, abbreviate(section) + " cannot be a section's name");
    }
    if (value.contains("\n") || value.contains("\r")) {
      throw new IniException(0, section + "." + key + ": a value set this way is one line");
    }
    return set(section, key, value);
  }

  /** {@link #with} without its checks: for names and values that come from a parsed text, which read back as they are. */
  private Ini set(String section, String key, String value) {
    List<String> out = new ArrayList<>(lines);
    String written = key + "=" + value;
    Section s = sections.get(section);
    if (s == null) {
      if (!out.isEmpty() && !out.get(out.size() - 1).isBlank()) {
        out.add("");
      }
      out.add("[" + section + "]");
      out.add(written);
    } else {
      Option o = s.options().get(key);
      if (o != null) {
        for (int l = o.lastLine(); l > o.line(); l--) {
          out.remove(l - 1);
        }
        out.set(o.line() - 1, written);
      } else {
        int last = s.line();
        for (Option opt : s.options().values()) {
          last = Math.max(last, opt.lastLine());
        }
        out.add(last, written);
      }
    }
    return parse(String.join("\n", out) + "\n");
  }

  /** {@code base} with {@code override}'s options on top (option by option; the override's new sections at the end). */
  public static Ini merge(Ini base, Ini override) {
    Ini merged = base;
    for (Section s : override.sections.values()) {
      for (Option o : s.options().values()) {
        // (set, not with: whatever parsed merges; with refuses some names upstream's web app could not read back)
        if (o.value().contains("\n")) {
          merged = merged.withMultiline(s.name(), o.key(), o.value());
        } else {
          merged = merged.set(s.name(), o.key(), o.value());
        }
      }
      if (s.options().isEmpty() && !merged.hasSection(s.name())) {
        merged = parse(merged.text() + "\n[" + s.name() + "]\n");
      }
    }
    return merged;
  }

  private Ini withMultiline(String section, String key, String value) {
    String[] parts = value.split("\n");
    Ini first = set(section, key, parts[0]);
    Option o = first.sections.get(section).options().get(key);
    List<String> out = new ArrayList<>(first.lines);
    for (int i = parts.length - 1; i >= 1; i--) {
      out.add(o.line(), "    " + parts[i]);
    }
    return parse(String.join("\n", out) + "\n");
  }

  private static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  private static String abbreviate(String s) {
    return "'" + (s.length() > 60 ? s.substring(0, 60) + "…" : s) + "'";
  }
}
