package dev.tessera.registry.definition;

/**
 * The kinds of definitions the registry keeps. Each has its own namespace of names, its own API
 * path and problem types, and the same versioning, history and publication rules.
 */
public enum Kind {
  GROUPBY("GroupBy", "groupby"),
  JOIN("Join", "join");

  private final String label;
  private final String slug;

  Kind(String label, String slug) {
    this.label = label;
    this.slug = slug;
  }

  /** How people read it: {@code GroupBy}, {@code Join}. */
  public String label() {
    return label;
  }

  /** How URIs and metric tags spell it: {@code groupby}, {@code join}. */
  public String slug() {
    return slug;
  }
}
