package io.pioreactor.protocol.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Upstream's INI dialect (Python's configparser as Pioreactor configures it), and the edits that keep a file as it was. */
class IniTest {

  /** The line an {@link IniException} names, for {@code assertThatThrownBy(...).satisfies(atLine(n))}. */
  private static org.assertj.core.api.ThrowingConsumer<Throwable> atLine(int line) {
    return e -> assertThat(((IniException) e).line()).as(e.getMessage()).isEqualTo(line);
  }

  // Reading.

  @Test
  @DisplayName("sections and their options are read in the order they are written")
  void sectionsAndOptions() {
    Ini ini = Ini.parse("[PWM]\n1=stirring\n2=media\n\n[leds]\nA=IR\n");
    assertThat(ini.sections().keySet()).containsExactly("PWM", "leds");
    assertThat(ini.asMap()).isEqualTo(Map.of("PWM", Map.of("1", "stirring", "2", "media"), "leds", Map.of("A", "IR")));
    assertThat(ini.sections().get("PWM").options().keySet()).containsExactly("1", "2");
    assertThat(ini.get("PWM", "2")).contains("media");
    assertThat(ini.get("PWM", "9")).isEmpty();
    assertThat(ini.get("nowhere", "1")).isEmpty();
    assertThat(ini.hasSection("leds")).isTrue();
  }

  @Test
  @DisplayName("each option knows the 1-based line it is on, and each section the line of its header")
  void lines() {
    Ini ini = Ini.parse("; top\n[a]\nx=1\n\n[b]\ny=2\n");
    assertThat(ini.sections().get("a").line()).isEqualTo(2);
    assertThat(ini.option("a", "x").orElseThrow().line()).isEqualTo(3);
    assertThat(ini.sections().get("b").line()).isEqualTo(5);
    assertThat(ini.option("b", "y").orElseThrow().line()).isEqualTo(6);
  }

  @Test
  @DisplayName("key: value is an option as key=value is, and spaces around the separator are not part of either")
  void colonSeparator() {
    Ini ini = Ini.parse("[s]\nkey: value\nother = spaced out  \n");
    assertThat(ini.get("s", "key")).contains("value");
    assertThat(ini.get("s", "other")).contains("spaced out");
  }

  @Test
  @DisplayName("the first = or : separates key from value; later ones belong to the value")
  void firstSeparatorWins() {
    Ini ini = Ini.parse("[s]\nurl = http://leader.local:80\nk: v=w\ne=\n");
    assertThat(ini.get("s", "url")).contains("http://leader.local:80");
    assertThat(ini.get("s", "k")).contains("v=w");
    assertThat(ini.get("s", "e")).as("an empty value").contains("");
  }

  @Test
  @DisplayName("whole-line comments start with # or ;, indented too, and are skipped like blank lines")
  void comments() {
    Ini ini = Ini.parse("# a\n; b\n[s]\n  # indented\n\t; tab-indented\n\nx=1\n   \ny=2\n");
    assertThat(ini.asMap()).isEqualTo(Map.of("s", Map.of("x", "1", "y", "2")));
  }

  @Test
  @DisplayName("a # or ; after a value is part of the value, as configparser has no inline comments by default")
  void noInlineComments() {
    assertThat(Ini.parse("[s]\nx=1 # not a comment\ny=a;b\n").asMap().get("s"))
        .isEqualTo(Map.of("x", "1 # not a comment", "y", "a;b"));
  }

  @Test
  @DisplayName("indented lines continue the value above, one value line each, and the option spans them")
  void continuationLines() {
    Ini ini = Ini.parse("[s]\nx=first\n    second\n\tthird\ny=2\n");
    assertThat(ini.get("s", "x")).contains("first\nsecond\nthird");
    assertThat(ini.option("s", "x").orElseThrow().line()).isEqualTo(2);
    assertThat(ini.option("s", "x").orElseThrow().lastLine()).isEqualTo(4);
    assertThat(ini.get("s", "y")).contains("2");
  }

  @Test
  @DisplayName("a value that starts on the next line has no empty first line")
  void valueStartingBelow() {
    assertThat(Ini.parse("[s]\nx=\n  a\n  b\n").get("s", "x")).contains("a\nb");
  }

  @Test
  @DisplayName("indented options at the same indentation are options of their own, not a continuation (as configparser)")
  void indentedOptionsAreOptions() {
    Ini ini = Ini.parse("[s]\n  a=1\n  b=2\n    more of b\n");
    assertThat(ini.asMap().get("s")).isEqualTo(Map.of("a", "1", "b", "2\nmore of b"));
  }

  @Test
  @DisplayName("keys keep their case (Kp is not kp), and keys differing only in case are two options")
  void keysKeepCase() {
    Ini ini = Ini.parse("[temperature_automation.thermostat]\nKp=2.6\nkp=1\n");
    assertThat(ini.get("temperature_automation.thermostat", "Kp")).contains("2.6");
    assertThat(ini.get("temperature_automation.thermostat", "kp")).contains("1");
  }

  @Test
  @DisplayName("en and em dashes pasted from documents are read as hyphens (upstream's issue 539)")
  void dashes() {
    assertThat(Ini.parse("[s]\nx=\u20135\ny=a\u2014b\n").asMap().get("s")).isEqualTo(Map.of("x", "-5", "y", "a-b"));
  }

  @Test
  @DisplayName("CRLF line endings read as LF")
  void crlf() {
    Ini ini = Ini.parse("[s]\r\nx=1\r\ny=2\r\n");
    assertThat(ini.asMap().get("s")).isEqualTo(Map.of("x", "1", "y", "2"));
  }

  @Test
  @DisplayName("the text reads back as parsed, comments and blank lines included")
  void textAsParsed() {
    String text = "; top\n\n[a]\n# about x\nx = 1\n    more\n\n[b]\ny: 2\n";
    assertThat(Ini.parse(text).text()).isEqualTo(text);
    assertThat(Ini.parse("").text()).isEmpty();
    assertThat(Ini.empty().sections()).isEmpty();
  }

  // Refusals, each at its line.

  @ParameterizedTest
  @ValueSource(strings = {"[unclosed", "[]", "[ ]", "[a] trailing"})
  @DisplayName("a section header that is not [name] is refused at its line")
  void badHeader(String header) {
    assertThatThrownBy(() -> Ini.parse("[ok]\nx=1\n" + header + "\ny=2\n")).isInstanceOf(IniException.class)
        .satisfies(atLine(3)).hasMessageStartingWith("line 3: ");
  }

  @Test
  @DisplayName("an option before any section is refused at its line")
  void optionBeforeSection() {
    assertThatThrownBy(() -> Ini.parse("; comment\n\nx=1\n[s]\n")).isInstanceOf(IniException.class)
        .satisfies(atLine(3)).hasMessageContaining("before any [section]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"just words", "=no key", ": no key either"})
  @DisplayName("a line that is no option, section or comment is refused at its line")
  void lineWithoutSeparator(String line) {
    assertThatThrownBy(() -> Ini.parse("[s]\nx=1\n" + line + "\n")).isInstanceOf(IniException.class)
        .satisfies(atLine(3)).hasMessageContaining("expected key=value");
  }

  @Test
  @DisplayName("a section written twice is refused at the second header, naming the first")
  void duplicateSection() {
    assertThatThrownBy(() -> Ini.parse("[PWM]\n1=stirring\n\n[leds]\n[PWM]\n2=media\n")).isInstanceOf(IniException.class)
        .satisfies(atLine(5)).hasMessageContaining("[PWM]").hasMessageContaining("line 1");
  }

  @Test
  @DisplayName("an option written twice in a section is refused at the second, naming the first")
  void duplicateOption() {
    assertThatThrownBy(() -> Ini.parse("[s]\nx=1\ny=2\nx: 3\n")).isInstanceOf(IniException.class)
        .satisfies(atLine(4)).hasMessageContaining("'x'").hasMessageContaining("line 2");
  }

  @Test
  @DisplayName("the same key in two sections is two options")
  void sameKeyInTwoSections() {
    assertThat(Ini.parse("[a]\nx=1\n[b]\nx=2\n").asMap()).isEqualTo(Map.of("a", Map.of("x", "1"), "b", Map.of("x", "2")));
  }

  // Bounds.

  @Test
  @DisplayName("a text of at most MAX_BYTES is read; one byte more is refused as a whole (line 0)")
  void sizeBound() {
    String head = "[s]\nx=";
    String fits = head + "a".repeat(Ini.MAX_BYTES - head.length() - 1) + "\n";
    assertThat(Ini.parse(fits).get("s", "x").orElseThrow()).hasSize(Ini.MAX_BYTES - head.length() - 1);
    assertThatThrownBy(() -> Ini.parse(fits + "b")).isInstanceOf(IniException.class).satisfies(atLine(0));
  }

  @Test
  @DisplayName("the size bound counts bytes: a text of fewer characters but more UTF-8 bytes than MAX_BYTES is refused")
  void sizeBoundInBytes() {
    String text = "[s]\nx=" + "\u00e9".repeat(Ini.MAX_BYTES / 2 + 10) + "\n"; // 2 bytes each
    assertThat(text.length()).isLessThan(Ini.MAX_BYTES);
    assertThatThrownBy(() -> Ini.parse(text)).isInstanceOf(IniException.class).satisfies(atLine(0));
  }

  @Test
  @DisplayName("at most MAX_SECTIONS sections: the one after is refused at its header")
  void sectionBound() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < Ini.MAX_SECTIONS; i++) {
      b.append("[s").append(i).append("]\n");
    }
    assertThat(Ini.parse(b.toString()).sections()).hasSize(Ini.MAX_SECTIONS);
    b.append("[one.more]\n");
    assertThatThrownBy(() -> Ini.parse(b.toString())).isInstanceOf(IniException.class)
        .satisfies(atLine(Ini.MAX_SECTIONS + 1)).hasMessageContaining(String.valueOf(Ini.MAX_SECTIONS));
  }

  @Test
  @DisplayName("at most MAX_OPTIONS options in all: the one after is refused at its line")
  void optionBound() {
    StringBuilder b = new StringBuilder("[s]\n");
    for (int i = 0; i < Ini.MAX_OPTIONS; i++) {
      b.append('k').append(i).append("=1\n");
    }
    assertThat(Ini.parse(b.toString()).sections().get("s").options()).hasSize(Ini.MAX_OPTIONS);
    b.append("one_more=1\n");
    assertThatThrownBy(() -> Ini.parse(b.toString())).isInstanceOf(IniException.class)
        .satisfies(atLine(Ini.MAX_OPTIONS + 2)).hasMessageContaining(String.valueOf(Ini.MAX_OPTIONS));
  }

  // Edits: with(section, key, value).

  private static final String FILE = """
      ; the cluster's file
      [PWM]
      ; which output each channel drives
      1=stirring
      2 = media

      [leds]
      A=IR
      # the end
      """;

  @Test
  @DisplayName("setting an option rewrites its line where it is, and every other line, comments included, stays")
  void withRewritesInPlace() {
    Ini edited = Ini.parse(FILE).with("PWM", "2", "alt_media");
    assertThat(edited.text()).isEqualTo(FILE.replace("2 = media", "2=alt_media"));
    assertThat(edited.get("PWM", "2")).contains("alt_media");
    assertThat(edited.option("PWM", "2").orElseThrow().line()).isEqualTo(5);
  }

  @Test
  @DisplayName("setting an option leaves the Ini it was called on as it was")
  void withIsAnEditedCopy() {
    Ini ini = Ini.parse(FILE);
    ini.with("PWM", "2", "alt_media");
    assertThat(ini.text()).isEqualTo(FILE);
    assertThat(ini.get("PWM", "2")).contains("media");
  }

  @Test
  @DisplayName("setting a multi-line option replaces all its lines with one")
  void withReplacesContinuationLines() {
    Ini edited = Ini.parse("[s]\nx=a\n  b\n  c\ny=2\n").with("s", "x", "one");
    assertThat(edited.text()).isEqualTo("[s]\nx=one\ny=2\n");
  }

  @Test
  @DisplayName("a new option goes at the end of its section, after the section's last option, before the next section")
  void withAppendsToSection() {
    Ini edited = Ini.parse(FILE).with("PWM", "3", "waste");
    assertThat(edited.text()).isEqualTo(FILE.replace("2 = media\n", "2 = media\n3=waste\n"));
    assertThat(Ini.parse("[s]\n[t]\nx=1\n").with("s", "y", "2").text()).as("into an empty section")
        .isEqualTo("[s]\ny=2\n[t]\nx=1\n");
  }

  @Test
  @DisplayName("an option of a section not there yet goes in a new section at the end, after a blank line")
  void withMakesNewSection() {
    assertThat(Ini.parse(FILE).with("mqtt", "broker_port", "1883").text()).isEqualTo(FILE + "\n[mqtt]\nbroker_port=1883\n");
    assertThat(Ini.empty().with("s", "x", "1").text()).isEqualTo("[s]\nx=1\n");
  }

  @Test
  @DisplayName("an empty value is written as key=")
  void withEmptyValue() {
    assertThat(Ini.parse("[leds]\nB=x\n").with("leds", "B", "").text()).isEqualTo("[leds]\nB=\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "a=b", "a:b", "[a", "#a", ";a", " a", "a ", "a\nb", "a\r"})
  @DisplayName("a key that would not read back as that key is refused")
  void withRefusesBadKeys(String key) {
    assertThatThrownBy(() -> Ini.parse(FILE).with("PWM", key, "x")).isInstanceOf(IniException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "a]b", "a]", "a\nb", " PWM", " mqtt", "mqtt ", "a\rb"})
  @DisplayName("a section name that would not read back as that section is refused")
  void withRefusesBadSections(String section) {
    assertThatThrownBy(() -> Ini.parse(FILE).with(section, "x", "1")).isInstanceOf(IniException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\nb", "a\r\nb", "a\rb", "\n[PWM]"})
  @DisplayName("a value of more than one line is refused")
  void withRefusesMultilineValues(String value) {
    assertThatThrownBy(() -> Ini.parse(FILE).with("leds", "B", value)).isInstanceOf(IniException.class);
  }

  @Test
  @DisplayName("a value may hold =, :, ], # and ; (they read back as they were)")
  void withKeepsAwkwardValues() {
    Ini edited = Ini.parse(FILE).with("leds", "B", "a=b: [c] # d ; e");
    assertThat(edited.get("leds", "B")).contains("a=b: [c] # d ; e");
  }

  // merge(base, override).

  @Test
  @DisplayName("merging puts the override's options on top of the base's, option by option; the base's others stay")
  void mergeOptionByOption() {
    Ini base = Ini.parse("[PWM]\n1=stirring\n2=media\n\n[leds]\nA=IR\n");
    Ini merged = Ini.merge(base, Ini.parse("[PWM]\n2=alt_media\n3=waste\n"));
    assertThat(merged.asMap()).isEqualTo(Map.of("PWM", Map.of("1", "stirring", "2", "alt_media", "3", "waste"),
        "leds", Map.of("A", "IR")));
    assertThat(merged.sections().keySet()).containsExactly("PWM", "leds");
  }

  @Test
  @DisplayName("the override's sections the base does not have come at the end, in the override's order, empty ones too")
  void mergeNewSectionsAtTheEnd() {
    Ini merged = Ini.merge(Ini.parse("[a]\nx=1\n"), Ini.parse("[c]\nz=3\n[empty]\n[b]\ny=2\n"));
    assertThat(merged.sections().keySet()).containsExactly("a", "c", "empty", "b");
    assertThat(merged.get("b", "y")).contains("2");
  }

  @Test
  @DisplayName("merging keeps the base's comments and lines; an empty override changes nothing")
  void mergeKeepsBase() {
    Ini base = Ini.parse(FILE);
    assertThat(Ini.merge(base, Ini.parse("")).text()).isEqualTo(FILE);
    assertThat(Ini.merge(base, Ini.parse("[PWM]\n1=heating\n")).text()).isEqualTo(FILE.replace("1=stirring", "1=heating"));
  }

  @Test
  @DisplayName("a multi-line value survives merging, over a single-line one and as a new option")
  void mergeMultilineValues() {
    Ini base = Ini.parse("[s]\nx=1\ny=2\n");
    Ini merged = Ini.merge(base, Ini.parse("[s]\nx=a\n  b\n  c\n[t]\nz=\n  p\n  q\n"));
    assertThat(merged.get("s", "x")).contains("a\nb\nc");
    assertThat(merged.get("s", "y")).contains("2");
    assertThat(merged.get("t", "z")).contains("p\nq");
    assertThat(Ini.parse(merged.text()).asMap()).as("and reads back the same").isEqualTo(merged.asMap());
  }

  @Test
  @DisplayName("a single-line value replaces a multi-line one whole")
  void mergeOverMultiline() {
    Ini merged = Ini.merge(Ini.parse("[s]\nx=a\n  b\ny=2\n"), Ini.parse("[s]\nx=one\n"));
    assertThat(merged.asMap().get("s")).isEqualTo(Map.of("x", "one", "y", "2"));
  }

  @Test
  @DisplayName("anything that parses merges: section names with ] in them, values with a carriage return inside")
  void mergeTakesWhateverParses() {
    Ini override = Ini.parse("[a]b]\nx=1\n[s]\ny=p\rq\n");
    Ini merged = Ini.merge(Ini.parse("[s]\ny=0\n"), override);
    assertThat(merged.get("a]b", "x")).contains("1");
    assertThat(merged.get("s", "y")).contains("p\rq");
  }

  @Test
  @DisplayName("merging twice with the same override gives the same text")
  void mergeIsIdempotent() {
    Ini base = Ini.parse(FILE);
    Ini override = Ini.parse("[PWM]\n3=waste\n[new]\nk=v\n");
    Ini once = Ini.merge(base, override);
    assertThat(Ini.merge(once, override).text()).isEqualTo(once.text());
    assertThat(List.copyOf(once.sections().keySet())).containsExactly("PWM", "leds", "new");
  }

  @Test
  @DisplayName("withSection replaces a section's options in one edit, where the section is, and makes it at the end when missing")
  void withSectionInOneEdit() {
    Ini ini = Ini.parse("[a]\nx=1\n; c\ny=2\n\n[b]\nz=3\n");
    Ini out = ini.withSection("a", new java.util.LinkedHashMap<>(java.util.Map.of("p", "9")));
    assertThat(out.text()).isEqualTo("[a]\np=9\n\n[b]\nz=3\n");
    Ini added = ini.withSection("c", java.util.Map.of("q", "1"));
    assertThat(added.get("c", "q")).contains("1");
    assertThat(added.text()).startsWith(ini.text().strip());
    assertThatThrownBy(() -> ini.withSection("a", java.util.Map.of("k", "two\nlines"))).isInstanceOf(IniException.class);
  }
}
