package dev.tessera.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The properties of a service's {@code @ConfigurationProperties("prefix")} records, read from the
 * source (the services do not use the configuration processor, so there is no metadata to read):
 * each record component is a property ({@code chunkEntities} -> {@code prefix.chunk-entities}),
 * a component whose type is another record of the same file is a group, {@code List<R>} is
 * {@code name[*]}, and {@code Map<...>} takes any key below it.
 */
final class RecordProperties {
  private static final Pattern ANNOTATION =
      Pattern.compile("@ConfigurationProperties\\(\\s*(?:(?:prefix|value)\\s*=\\s*)?\"([^\"]+)\"");
  private static final Pattern RECORD = Pattern.compile("\\brecord\\s+(\\w+)\\s*(?:<[^>]*>)?\\s*\\(");
  private static final Pattern ANNOTATION_USE = Pattern.compile("@[\\w.]+(\\s*\\((?:[^()\"]|\"[^\"]*\")*\\))?");
  private static final Set<String> LISTS = Set.of("List", "Set", "Collection", "SortedSet");

  private RecordProperties() {}

  static void scan(Path sourceDir, Set<String> names, Set<String> mapPrefixes) {
    ServiceProperties.javaFiles(sourceDir).forEach(f -> scanSource(ServiceProperties.read(f), names, mapPrefixes));
  }

  static void scanSource(String source, Set<String> names, Set<String> mapPrefixes) {
    String code = withoutComments(source);
    Map<String, List<String[]>> records = new HashMap<>();
    Matcher r = RECORD.matcher(code);
    while (r.find()) records.put(r.group(1), components(code, r.end() - 1));
    Matcher a = ANNOTATION.matcher(code);
    while (a.find()) {
      Matcher next = RECORD.matcher(code);
      if (!next.find(a.end())) continue;
      walk(a.group(1), next.group(1), records, names, mapPrefixes, 0);
    }
  }

  private static void walk(String prefix, String record, Map<String, List<String[]>> records, Set<String> names,
      Set<String> mapPrefixes, int depth) {
    if (depth > 8) return;
    for (String[] c : records.getOrDefault(record, List.of())) {
      String type = c[0];
      String name = prefix + "." + kebab(c[1]);
      String raw = raw(type);
      String element = typeArgument(type, 0);
      if (raw.equals("Map") || raw.equals("Properties")) {
        mapPrefixes.add(name);
      } else if (LISTS.contains(raw) && element != null && records.containsKey(raw(element))) {
        walk(name + "[*]", raw(element), records, names, mapPrefixes, depth + 1);
      } else if (records.containsKey(raw)) {
        walk(name, raw, records, names, mapPrefixes, depth + 1);
      } else {
        names.add(name);
      }
    }
  }

  /** The source with comments blanked out; string literals ("http://...") are kept whole. */
  static String withoutComments(String source) {
    StringBuilder out = new StringBuilder(source.length());
    int i = 0;
    while (i < source.length()) {
      char c = source.charAt(i);
      if (c == '"' || c == '\'') {
        int end = i + 1;
        while (end < source.length() && source.charAt(end) != c) end += source.charAt(end) == '\\' ? 2 : 1;
        end = Math.min(end + 1, source.length());
        out.append(source, i, end);
        i = end;
      } else if (source.startsWith("//", i)) {
        int end = source.indexOf('\n', i);
        i = end < 0 ? source.length() : end;
      } else if (source.startsWith("/*", i)) {
        int end = source.indexOf("*/", i + 2);
        i = end < 0 ? source.length() : end + 2;
        out.append(' ');
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** The components (type, name) of the record whose parameter list opens at {@code open}. */
  static List<String[]> components(String code, int open) {
    int depth = 0;
    int angle = 0;
    int start = open + 1;
    List<String> parts = new ArrayList<>();
    for (int i = open; i < code.length(); i++) {
      char ch = code.charAt(i);
      if (ch == '"') {
        i = code.indexOf('"', i + 1);
        if (i < 0) break;
        continue;
      }
      if (ch == '(') depth++;
      if (ch == ')' && --depth == 0) {
        parts.add(code.substring(start, i));
        break;
      }
      if (ch == '<') angle++;
      if (ch == '>') angle--;
      if (ch == ',' && depth == 1 && angle == 0) {
        parts.add(code.substring(start, i));
        start = i + 1;
      }
    }
    List<String[]> out = new ArrayList<>();
    for (String p : parts) {
      String s = ANNOTATION_USE.matcher(p).replaceAll(" ").replaceAll("\\bfinal\\b", " ").trim();
      if (s.isEmpty()) continue;
      int cut = s.lastIndexOf(' ');
      if (cut < 0) continue;
      out.add(new String[] {s.substring(0, cut).replaceAll("\\s+", ""), s.substring(cut + 1)});
    }
    return out;
  }

  /** {@code java.util.List<User>} -> {@code List}; {@code TopologySettings.StoreKind} -> {@code StoreKind}. */
  static String raw(String type) {
    String t = type.contains("<") ? type.substring(0, type.indexOf('<')) : type;
    t = t.replace("[]", "");
    return t.contains(".") ? t.substring(t.lastIndexOf('.') + 1) : t;
  }

  static String typeArgument(String type, int index) {
    int open = type.indexOf('<');
    if (open < 0) return null;
    String inner = type.substring(open + 1, type.lastIndexOf('>'));
    int depth = 0;
    int start = 0;
    List<String> args = new ArrayList<>();
    for (int i = 0; i < inner.length(); i++) {
      char ch = inner.charAt(i);
      if (ch == '<') depth++;
      if (ch == '>') depth--;
      if (ch == ',' && depth == 0) {
        args.add(inner.substring(start, i));
        start = i + 1;
      }
    }
    args.add(inner.substring(start));
    return index < args.size() ? args.get(index).trim() : null;
  }

  /** {@code chunkEntities} -> {@code chunk-entities}. */
  static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }
}
