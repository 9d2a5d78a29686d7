package io.pioreactor.leader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What {@code pio config edit} shows before it asks: the diff's hunks, line numbers and context. */
class LineDiffTest {
  private static String lines(int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(i -> "line" + i + "\n").collect(Collectors.joining());
  }

  @Test
  @DisplayName("the same lines: no diff")
  void same() {
    assertThat(LineDiff.unified("a\nb\n", "a\nb", "old", "new")).isEmpty();
  }

  @Test
  @DisplayName("one changed line: removed then added, three lines of context each side, numbered as diff -u does")
  void oneChange() {
    String before = lines(1, 10);
    String after = before.replace("line5\n", "line5 changed\n");
    assertThat(LineDiff.unified(before, after, "old", "new")).isEqualTo("""
        --- old
        +++ new
        @@ -2,7 +2,7 @@
         line2
         line3
         line4
        -line5
        +line5 changed
         line6
         line7
         line8
        """);
  }

  @Test
  @DisplayName("changes far apart make two hunks; near ones one; an added line at the end and an empty start work")
  void hunks() {
    String before = lines(1, 30);
    String far = before.replace("line3\n", "").replace("line20\n", "line20\nnew\n");
    String diff = LineDiff.unified(before, far, "a", "b");
    assertThat(diff.lines().filter(l -> l.startsWith("@@"))).containsExactly("@@ -1,6 +1,5 @@", "@@ -18,6 +17,7 @@");
    String near = before.replace("line3\n", "x\n").replace("line8\n", "y\n");
    assertThat(LineDiff.unified(before, near, "a", "b").lines().filter(l -> l.startsWith("@@"))).containsExactly("@@ -1,11 +1,11 @@");
    assertThat(LineDiff.unified("", "[s]\nk=v\n", "a", "b")).endsWith("@@ -0,0 +1,2 @@\n+[s]\n+k=v\n");
    assertThat(LineDiff.unified(before, before + "end\n", "a", "b")).endsWith("@@ -28,3 +28,4 @@\n line28\n line29\n line30\n+end\n");
  }
}
