package dev.tessera.batch.definitions;

import dev.tessera.agg.registry.PublishedJoin;
import java.util.Optional;

/**
 * The Joins a training set may name (DESIGN-joins.md): from the registry's REST API, or from files
 * beside the GroupBy files for local runs. Joins live in their own namespace.
 */
public interface JoinDefinitions {

  /** The latest published version of {@code name}, or empty when there is none or it is retired. */
  Optional<PublishedJoin> find(String name);

  /** One published version of {@code name}, or empty. */
  Optional<PublishedJoin> find(String name, int version);

  /** Where Joins come from, for messages. */
  String description();
}
