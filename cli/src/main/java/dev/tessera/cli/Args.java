package dev.tessera.cli;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Checks of option values before anything is sent: a mistake on the command line is a usage
 * error (exit code 2) that names the option, not a round trip to a server.
 */
final class Args {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

  private Args() {}

  static ParameterException usage(CommandSpec spec, String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  static LocalDate date(CommandSpec spec, String option, String value) {
    try {
      return LocalDate.parse(value.trim());
    } catch (DateTimeParseException | NullPointerException e) {
      throw usage(spec, option + " must be a date yyyy-MM-dd, was '" + value + "'");
    }
  }

  /** Both dates, and the end not before the start (both days are included). */
  static void dateRange(CommandSpec spec, String start, String end) {
    LocalDate s = date(spec, "--start-date", start);
    LocalDate e = date(spec, "--end-date", end);
    if (e.isBefore(s)) throw usage(spec, "--end-date " + e + " is before --start-date " + s + " (both days are included)");
  }

  static void name(CommandSpec spec, String option, String value) {
    if (value == null || !NAME.matcher(value.trim()).matches()) {
      throw usage(spec, option + " must be a name (letters, digits, '_', '.', '-'), was '" + value + "'");
    }
  }

  static void positive(CommandSpec spec, String option, Integer value) {
    if (value != null && value < 1) throw usage(spec, option + " must be at least 1, was " + value);
  }

  static void fraction(CommandSpec spec, String option, Double value) {
    if (value != null && !(value >= 0 && value <= 1)) throw usage(spec, option + " must be between 0 and 1, was " + value);
  }

  /**
   * {@code user_id=STRING,amount=DOUBLE,tags=MAP<STRING,LONG>} (and repeated options) to an
   * ordered column -> type map. Commas inside {@code <...>} belong to the type.
   */
  static Map<String, String> schema(CommandSpec spec, List<String> specs) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String s : specs) {
      for (String part : splitTopLevel(s)) {
        if (part.isBlank()) continue;
        int eq = part.indexOf('=');
        if (eq <= 0 || eq == part.length() - 1) {
          throw usage(spec, "--schema wants column=TYPE pairs such as user_id=STRING,amount=DOUBLE,ts=LONG; got '" + part.trim() + "'");
        }
        String column = part.substring(0, eq).trim();
        String type = part.substring(eq + 1).trim();
        if (!NAME.matcher(column).matches()) throw usage(spec, "--schema: '" + column + "' is not a column name");
        if (out.put(column, type) != null) throw usage(spec, "--schema names column '" + column + "' twice");
      }
    }
    if (out.isEmpty()) throw usage(spec, "--schema is empty");
    return out;
  }

  static List<String> splitTopLevel(String s) {
    List<String> parts = new java.util.ArrayList<>();
    int depth = 0;
    StringBuilder cur = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '<') depth++;
      if (c == '>') depth = Math.max(0, depth - 1);
      if (c == ',' && depth == 0) {
        parts.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    parts.add(cur.toString());
    return parts;
  }

  /** A job id: a positive number. */
  static long jobId(CommandSpec spec, String value) {
    try {
      long id = Long.parseLong(value.trim());
      if (id > 0) return id;
    } catch (NumberFormatException | NullPointerException e) {
      // reported below
    }
    throw usage(spec, "a job id is a positive number, was '" + value + "'");
  }
}
