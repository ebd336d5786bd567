package dev.tessera.registry.definition;

import java.util.Objects;

/**
 * A definition as someone wrote it: the text (kept, comments and all, so that the admin UI can
 * show it back), its format, and where it came from ({@code label}: a file name in a batch, or
 * null).
 */
public record DefinitionDocument(String text, DocumentFormat format, String label) {
  public DefinitionDocument {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(format, "format");
  }

  public static DefinitionDocument of(String text, DocumentFormat format) {
    return new DefinitionDocument(text, format, null);
  }
}
