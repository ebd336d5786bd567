package dev.tessera.registry.definition;

import java.util.Locale;
import org.springframework.http.MediaType;

/** The two ways a definition is written (DESIGN.md: JSON or YAML, same fields). */
public enum DocumentFormat {
  JSON, YAML;

  public static final MediaType APPLICATION_YAML = MediaType.parseMediaType("application/yaml");
  public static final MediaType APPLICATION_X_YAML = MediaType.parseMediaType("application/x-yaml");
  public static final MediaType TEXT_YAML = MediaType.parseMediaType("text/yaml");

  /** The format a request's content type names; YAML for any yaml type, JSON for any +json type. */
  public static DocumentFormat of(MediaType contentType) {
    if (contentType == null) return YAML;
    String subtype = contentType.getSubtype().toLowerCase(Locale.ROOT);
    if (subtype.equals("json") || subtype.endsWith("+json")) return JSON;
    return YAML;
  }

  /** What the text looks like: JSON when it starts with '{' (YAML reads JSON too, but JSON errors read better). */
  public static DocumentFormat guess(String text) {
    return text != null && text.stripLeading().startsWith("{") ? JSON : YAML;
  }
}
