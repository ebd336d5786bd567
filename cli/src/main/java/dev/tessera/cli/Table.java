package dev.tessera.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table with aligned columns, for humans (scripts use --json). */
final class Table {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  Table(String... headers) {
    this.headers = List.of(headers);
  }

  Table row(Object... cells) {
    List<String> r = new ArrayList<>();
    for (Object c : cells) r.add(c == null ? "-" : String.valueOf(c));
    rows.add(r);
    return this;
  }

  void print(PrintWriter out) {
    int[] width = new int[headers.size()];
    for (int i = 0; i < width.length; i++) width[i] = headers.get(i).length();
    for (List<String> r : rows) {
      for (int i = 0; i < width.length && i < r.size(); i++) width[i] = Math.max(width[i], r.get(i).length());
    }
    line(out, headers, width);
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < width.length; i++) rule.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
    out.println(rule);
    for (List<String> r : rows) line(out, r, width);
    out.flush();
  }

  private static void line(PrintWriter out, List<String> cells, int[] width) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < width.length; i++) {
      String c = i < cells.size() ? cells.get(i) : "";
      sb.append(i == 0 ? "" : "  ").append(c).append(" ".repeat(width[i] - c.length()));
    }
    out.println(sb.toString().stripTrailing());
  }
}
