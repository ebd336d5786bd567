package dev.tessera.batch.warehouse;

import java.util.Objects;

/** A column the service creates and fills: its name and kind. */
public record OutColumn(String name, ColumnKind kind) {
  public OutColumn {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
  }
}
