package dev.tessera.registry.definition;

import java.time.Instant;
import java.util.Objects;

/**
 * One version of a definition as stored: the definition (metadata updates change it in place), the
 * document it was last written as, and who published and last updated it.
 */
public record StoredVersion<D>(String name, int version, D definition, String document, DocumentFormat documentFormat,
    Instant publishedAt, String publishedBy, Instant updatedAt, String updatedBy) {
  public StoredVersion {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(definition, "definition");
    Objects.requireNonNull(publishedAt, "publishedAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
