package dev.tessera.registry.definition;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff of two texts (longest common subsequence), with unchanged runs longer than twice the
 * context collapsed into one SKIP line, as {@code diff -u} does. Pure.
 */
public final class LineDiff {
  /** Above this many lines on each side the LCS table would be too big: show remove-all/add-all. */
  static final int MAX_LINES = 3000;

  public enum Kind { SAME, ADDED, REMOVED, SKIP }

  /**
   * One line of the diff. {@code fromLine}/{@code toLine} are 1-based line numbers in each text
   * (null where the line is not in that text); a SKIP line stands for {@code skipped} unchanged lines.
   */
  public record Line(Kind kind, String text, Integer fromLine, Integer toLine, int skipped) {}

  private LineDiff() {}

  public static List<Line> diff(String from, String to, int context) {
    String[] a = lines(from);
    String[] b = lines(to);
    return collapse(align(a, b), context);
  }

  public static boolean hasChanges(List<Line> lines) {
    return lines.stream().anyMatch(l -> l.kind() == Kind.ADDED || l.kind() == Kind.REMOVED);
  }

  private static String[] lines(String s) {
    if (s == null || s.isEmpty()) return new String[0];
    String t = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    return t.split("\n", -1);
  }

  private static List<Line> align(String[] a, String[] b) {
    List<Line> out = new ArrayList<>();
    if (a.length > MAX_LINES || b.length > MAX_LINES) {
      for (int i = 0; i < a.length; i++) out.add(new Line(Kind.REMOVED, a[i], i + 1, null, 0));
      for (int j = 0; j < b.length; j++) out.add(new Line(Kind.ADDED, b[j], null, j + 1, 0));
      return out;
    }
    // lcs[i][j] = length of the LCS of a[i..] and b[j..]
    int[][] lcs = new int[a.length + 1][b.length + 1];
    for (int i = a.length - 1; i >= 0; i--) {
      for (int j = b.length - 1; j >= 0; j--) {
        lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    int i = 0;
    int j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i].equals(b[j])) {
        out.add(new Line(Kind.SAME, a[i], i + 1, j + 1, 0));
        i++;
        j++;
      } else if (j < b.length && (i == a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
        out.add(new Line(Kind.ADDED, b[j], null, j + 1, 0));
        j++;
      } else {
        out.add(new Line(Kind.REMOVED, a[i], i + 1, null, 0));
        i++;
      }
    }
    // removals before additions within a changed block read better ("- old / + new")
    return removalsFirst(out);
  }

  private static List<Line> removalsFirst(List<Line> lines) {
    List<Line> out = new ArrayList<>(lines.size());
    List<Line> added = new ArrayList<>();
    List<Line> removed = new ArrayList<>();
    for (Line l : lines) {
      if (l.kind() == Kind.SAME) {
        out.addAll(removed);
        out.addAll(added);
        removed.clear();
        added.clear();
        out.add(l);
      } else if (l.kind() == Kind.ADDED) {
        added.add(l);
      } else {
        removed.add(l);
      }
    }
    out.addAll(removed);
    out.addAll(added);
    return out;
  }

  private static List<Line> collapse(List<Line> lines, int context) {
    List<Line> out = new ArrayList<>();
    int n = lines.size();
    int k = 0;
    while (k < n) {
      if (lines.get(k).kind() != Kind.SAME) {
        out.add(lines.get(k++));
        continue;
      }
      int end = k;
      while (end < n && lines.get(end).kind() == Kind.SAME) end++;
      int keepHead = k == 0 ? 0 : context;
      int keepTail = end == n ? 0 : context;
      int run = end - k;
      if (run > keepHead + keepTail + 1) {
        for (int x = k; x < k + keepHead; x++) out.add(lines.get(x));
        int skipped = run - keepHead - keepTail;
        Line first = lines.get(k + keepHead);
        out.add(new Line(Kind.SKIP, "", first.fromLine(), first.toLine(), skipped));
        for (int x = end - keepTail; x < end; x++) out.add(lines.get(x));
      } else {
        for (int x = k; x < end; x++) out.add(lines.get(x));
      }
      k = end;
    }
    return out;
  }
}
