package dev.tessera.registry.groupby;

import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.registry.PublishedGroupBy;
import java.time.Instant;
import java.util.Objects;

/**
 * One version of a GroupBy as stored: its definition (metadata updates change it in place), the
 * document it was last written as, and who published and last updated it.
 */
public record StoredVersion(String name, int version, GroupBy definition, String document, DocumentFormat documentFormat,
    Instant publishedAt, String publishedBy, Instant updatedAt, String updatedBy) {
  public StoredVersion {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(definition, "definition");
    Objects.requireNonNull(publishedAt, "publishedAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** The record that goes to the registry topic. */
  public PublishedGroupBy published() {
    return new PublishedGroupBy(name, version, definition, publishedAt, publishedBy);
  }
}
