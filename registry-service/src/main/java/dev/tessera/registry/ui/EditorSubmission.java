package dev.tessera.registry.ui;

import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.registry.definition.DefinitionDocument;
import dev.tessera.registry.definition.DocumentFormat;
import dev.tessera.registry.definition.Kind;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Turns the editor form (a name field and a document) into the document to validate. A document
 * without a {@code name} gets the field's name written into its text, so what is stored (and shown
 * again when editing) is complete; a document whose name disagrees with the field is an error on
 * the field. Pure.
 */
public final class EditorSubmission {
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  /** The document to validate, or the problem with the name field that stops it. */
  public record Result(DefinitionDocument document, String nameError) {}

  private EditorSubmission() {}

  /** A GroupBy document. */
  public static Result of(String nameField, String text, DocumentFormat format, String fixedName) {
    return of(nameField, text, format, fixedName, Kind.GROUPBY);
  }

  /**
   * @param fixedName the name being edited (the field is read-only then), or null for a new definition
   * @param kind what the document defines (for the messages)
   */
  public static Result of(String nameField, String text, DocumentFormat format, String fixedName, Kind kind) {
    String field = fixedName != null ? fixedName : nameField == null ? "" : nameField.trim();
    String body = text == null ? "" : text.replace("\r\n", "\n");
    Optional<String> documentName = topLevelName(body);
    if (documentName == null) {
      // not readable: validation reports why; the field cannot be checked against it
      return new Result(DefinitionDocument.of(body, format), null);
    }
    if (documentName.isPresent()) {
      String inDoc = documentName.get();
      if (!field.isEmpty() && !field.equals(inDoc)) {
        String error = fixedName != null
            ? "This page edits '" + fixedName + "', but the document is named '" + inDoc + "'. Create a new " + kind.label()
                + " to use another name."
            : "The name field says '" + field + "' but the document says '" + inDoc + "'.";
        return new Result(DefinitionDocument.of(body, format), error);
      }
      return new Result(DefinitionDocument.of(body, format), null);
    }
    if (field.isEmpty()) return new Result(DefinitionDocument.of(body, format), "Give the " + kind.label() + " a name.");
    if (!GroupByCompiler.NAME.matcher(field).matches()) {
      return new Result(DefinitionDocument.of(body, format),
          "'" + field + "' is not a valid name: lowercase letters, digits and _, starting with a letter, at most 63 characters.");
    }
    return new Result(DefinitionDocument.of(withName(body, field, format), format), null);
  }

  /**
   * What a document defines, when it says so plainly: a Join has {@code parts} or {@code left}, a
   * GroupBy {@code keys}, {@code sources} or {@code aggregations}; empty when it has neither or both
   * (or does not parse): validation then says what is missing.
   */
  public static Optional<Kind> kindOf(String text) {
    JsonNode root;
    try {
      root = text == null || text.isBlank() ? null : YAML.readTree(text);
    } catch (JacksonException e) {
      return Optional.empty();
    }
    if (root == null || !root.isObject()) return Optional.empty();
    boolean join = root.has("parts") || root.has("left");
    boolean groupBy = root.has("keys") || root.has("sources") || root.has("aggregations");
    if (join == groupBy) return Optional.empty();
    return Optional.of(join ? Kind.JOIN : Kind.GROUPBY);
  }

  /** The document's top-level name: empty when it has none, null when the text does not parse as an object. */
  static Optional<String> topLevelName(String text) {
    if (text.isBlank()) return Optional.empty();
    try {
      JsonNode root = YAML.readTree(text);
      if (root == null || root.isMissingNode() || root.isNull()) return Optional.empty();
      if (!root.isObject()) return null;
      JsonNode name = root.get("name");
      return name == null || name.isNull() ? Optional.empty() : Optional.of(name.asString());
    } catch (JacksonException e) {
      return null;
    }
  }

  /** Writes {@code name} into a document that has none, keeping the rest of the text as it is. */
  static String withName(String text, String name, DocumentFormat format) {
    String trimmed = text.stripLeading();
    if (format == DocumentFormat.JSON || trimmed.startsWith("{")) {
      int brace = text.indexOf('{');
      if (brace < 0) return "{\"name\": \"" + name + "\"}";
      boolean empty = text.substring(brace + 1).stripLeading().startsWith("}");
      return text.substring(0, brace + 1) + "\"name\": \"" + name + "\"" + (empty ? "" : ", ") + text.substring(brace + 1);
    }
    if (trimmed.isEmpty()) return "name: " + name + "\n";
    // after a leading document marker, if any, so that the name belongs to the document
    if (text.startsWith("---")) {
      int eol = text.indexOf('\n');
      return eol < 0 ? text + "\nname: " + name + "\n" : text.substring(0, eol + 1) + "name: " + name + "\n" + text.substring(eol + 1);
    }
    return "name: " + name + "\n" + text;
  }
}
