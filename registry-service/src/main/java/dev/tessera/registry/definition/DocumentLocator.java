package dev.tessera.registry.definition;

import dev.tessera.agg.definition.DocumentPaths;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Finds where a JSON path ({@code $.aggregations[1].windows[0]}, as common-agg writes problem
 * paths) is written in a YAML or JSON document, so that an error can be shown next to the line it
 * concerns. A path that is not in the document (a missing required field) is located at its
 * nearest written ancestor by {@link #nearest}; a document that does not parse locates nothing.
 */
public final class DocumentLocator {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  /** A position in the document, 1-based. */
  public record Position(int line, int column) {}

  private final Map<String, Position> positions;

  private DocumentLocator(Map<String, Position> positions) {
    this.positions = positions;
  }

  public static DocumentLocator of(String text, DocumentFormat format) {
    Map<String, Position> found = new HashMap<>();
    try (JsonParser p = (format == DocumentFormat.JSON ? JSON : YAML).createParser(text)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        String path = switch (t) {
          case PROPERTY_NAME -> positionPath(p.streamReadContext());
          case START_OBJECT, START_ARRAY -> containerPath(p.streamReadContext());
          case END_OBJECT, END_ARRAY -> null;
          // a scalar in an object was located at its property name already
          default -> p.streamReadContext().inArray() ? positionPath(p.streamReadContext()) : null;
        };
        if (path != null) {
          TokenStreamLocation loc = p.currentTokenLocation();
          if (loc.getLineNr() > 0) found.putIfAbsent(path, new Position(loc.getLineNr(), Math.max(1, loc.getColumnNr())));
        }
      }
    } catch (JacksonException | IllegalStateException e) {
      // a broken document: keep what was found before the break (the reader reports the break itself)
    }
    return new DocumentLocator(Map.copyOf(found));
  }

  /** Where exactly this path is written, or null. */
  public Position exact(String path) {
    return positions.get(path);
  }

  /**
   * Where this path, or else its closest written ancestor, is written; null if none is. The root
   * does not count: "line 1" says nothing about a field missing from the whole document.
   */
  public Position nearest(String path) {
    String p = path;
    while (p != null && !p.equals("$")) {
      Position at = positions.get(p);
      if (at != null) return at;
      p = parent(p);
    }
    return null;
  }

  /** {@code $.a.b[2]} -> {@code $.a.b}; {@code $.a['x y']} -> {@code $.a}; {@code $} -> null. */
  static String parent(String path) {
    if (path.equals("$") || path.isEmpty()) return null;
    int end = path.length() - 1;
    if (path.charAt(end) == ']') {
      int open = path.lastIndexOf('[');
      if (path.charAt(end - 1) == '\'') {
        // a quoted name may contain '[': search for the opening "['" instead
        open = path.lastIndexOf("['");
      }
      return open <= 0 ? "$" : path.substring(0, open);
    }
    int dot = path.lastIndexOf('.');
    return dot <= 0 ? "$" : path.substring(0, dot);
  }

  /** The path of the element a context is positioned at (its current property or index). */
  private static String positionPath(TokenStreamContext c) {
    if (c.inArray()) return containerPath(c) + "[" + Math.max(0, c.getCurrentIndex()) + "]";
    if (c.inObject() && c.currentName() != null) return DocumentPaths.child(containerPath(c), c.currentName());
    return containerPath(c);
  }

  /** The path of a container (object or array) context itself. */
  private static String containerPath(TokenStreamContext c) {
    if (c == null || c.inRoot() || c.getParent() == null || c.getParent().inRoot()) return "$";
    return positionPath(c.getParent());
  }
}
