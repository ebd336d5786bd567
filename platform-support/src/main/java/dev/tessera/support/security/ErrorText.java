package dev.tessera.support.security;

import java.util.regex.Pattern;

/**
 * An error text fit for an answer: exception class names, Java package names and absolute file
 * paths are taken out (the message stays). Those tell an attacker which libraries and directories
 * to aim at and tell a user nothing; the full text goes to the service log instead.
 */
public final class ErrorText {
  /** {@code java.lang.IllegalStateException: } at the start (of a stack trace line or a chained message). */
  private static final Pattern LEADING_CLASS = Pattern.compile("^(?:Caused by: )?(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*:\\s*");
  private static final Pattern QUALIFIED_CLASS = Pattern.compile("\\b(?:[a-z_$][\\w$]*\\.){2,}([A-Z][\\w$]*)");
  private static final Pattern UNIX_PATH = Pattern.compile("(?<![\\w.:/~-])/(?:[\\w.@+-]+/)+([\\w.@+-]+)");
  private static final Pattern WINDOWS_PATH = Pattern.compile("\\b[A-Za-z]:\\\\(?:[^\\\\\\s\"']+\\\\)+([^\\\\\\s\"']+)");

  private ErrorText() {}

  public static String clean(String text) {
    if (text == null) return null;
    String out = text.strip();
    for (String before = null; !out.equals(before); ) {
      before = out;
      out = LEADING_CLASS.matcher(out).replaceFirst("");
    }
    out = QUALIFIED_CLASS.matcher(out).replaceAll("$1");
    out = UNIX_PATH.matcher(out).replaceAll("$1");
    out = WINDOWS_PATH.matcher(out).replaceAll("$1");
    return out;
  }
}
