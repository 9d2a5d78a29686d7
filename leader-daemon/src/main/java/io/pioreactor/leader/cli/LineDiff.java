package io.pioreactor.leader.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified-style diff of two texts, line by line: hunks headed {@code @@ -a,b +c,d @@}, removed lines prefixed
 * {@code -}, added {@code +}, three lines of context prefixed with a space. Enough for someone to check an edit before
 * it is applied; not meant for {@code patch}.
 */
final class LineDiff {
  private static final int CONTEXT = 3;
  /** Past this many line pairs left to compare, the differing middle is shown as all removed, then all added. */
  private static final long MAX_CELLS = 4_000_000;

  private LineDiff() {}

  private record Line(char op, String text, int oldNo, int newNo) {}

  /** The diff, with {@code --- oldName} / {@code +++ newName} on top; empty when the texts have the same lines. */
  static String unified(String before, String after, String oldName, String newName) {
    List<Line> script = script(before.lines().toList(), after.lines().toList());
    if (script.stream().allMatch(l -> l.op() == ' ')) {
      return "";
    }
    StringBuilder sb = new StringBuilder("--- ").append(oldName).append("\n+++ ").append(newName).append('\n');
    int i = 0;
    while (i < script.size()) {
      if (script.get(i).op() == ' ') {
        i++;
        continue;
      }
      int start = Math.max(0, i - CONTEXT);
      int end = i; // one past the hunk's last line: grows while changes are within 2 × CONTEXT of each other
      int quiet = 0;
      for (int j = i; j < script.size() && quiet <= 2 * CONTEXT; j++) {
        if (script.get(j).op() == ' ') {
          quiet++;
        } else {
          quiet = 0;
          end = j + 1;
        }
      }
      end = Math.min(script.size(), end + CONTEXT);
      appendHunk(sb, script.subList(start, end));
      i = end;
    }
    return sb.toString();
  }

  private static void appendHunk(StringBuilder sb, List<Line> hunk) {
    int oldStart = 0;
    int newStart = 0;
    int oldCount = 0;
    int newCount = 0;
    for (Line l : hunk) {
      if (l.op() != '+') {
        oldStart = oldStart == 0 ? l.oldNo() : oldStart;
        oldCount++;
      }
      if (l.op() != '-') {
        newStart = newStart == 0 ? l.newNo() : newStart;
        newCount++;
      }
    }
    sb.append("@@ -").append(oldStart).append(',').append(oldCount)
        .append(" +").append(newStart).append(',').append(newCount).append(" @@\n");
    hunk.forEach(l -> sb.append(l.op()).append(l.text()).append('\n'));
  }

  /** Every line of both texts in order, each kept, removed or added (a longest common subsequence between them). */
  private static List<Line> script(List<String> a, List<String> b) {
    int prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
      prefix++;
    }
    int suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix
        && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
      suffix++;
    }
    List<String> midA = a.subList(prefix, a.size() - suffix);
    List<String> midB = b.subList(prefix, b.size() - suffix);
    List<Line> out = new ArrayList<>();
    for (int k = 0; k < prefix; k++) {
      out.add(new Line(' ', a.get(k), k + 1, k + 1));
    }
    int n = midA.size();
    int m = midB.size();
    if ((long) n * m > MAX_CELLS) {
      for (int k = 0; k < n; k++) {
        out.add(new Line('-', midA.get(k), prefix + k + 1, 0));
      }
      for (int k = 0; k < m; k++) {
        out.add(new Line('+', midB.get(k), 0, prefix + k + 1));
      }
    } else {
      int[][] lcs = new int[n + 1][m + 1]; // lcs[i][j]: common lines of midA[i..] and midB[j..]
      for (int i = n - 1; i >= 0; i--) {
        for (int j = m - 1; j >= 0; j--) {
          lcs[i][j] = midA.get(i).equals(midB.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
        }
      }
      int i = 0;
      int j = 0;
      while (i < n || j < m) {
        if (i < n && j < m && midA.get(i).equals(midB.get(j))) {
          out.add(new Line(' ', midA.get(i), prefix + i + 1, prefix + j + 1));
          i++;
          j++;
        } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
          out.add(new Line('-', midA.get(i), prefix + i + 1, 0)); // removals first, as diff -u shows them
          i++;
        } else {
          out.add(new Line('+', midB.get(j), 0, prefix + j + 1));
          j++;
        }
      }
    }
    for (int k = suffix; k > 0; k--) {
      out.add(new Line(' ', a.get(a.size() - k), a.size() - k + 1, b.size() - k + 1));
    }
    return out;
  }
}
