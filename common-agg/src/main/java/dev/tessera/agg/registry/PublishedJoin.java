package dev.tessera.agg.registry;

import dev.tessera.agg.join.Join;
import java.time.Instant;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A version of a Join as the registry publishes it: the record on the compacted registry topic
 * under the key {@code join:<name>} (GroupBys and Joins have their own namespaces; a null value
 * means retired) and the body of {@code GET /api/v1/joins/{name}}.
 *
 * <pre>{"kind": "join", "name": "fraud_model", "version": 2, "publishedAt": "...",
 *  "publishedBy": "alice", "definition": { ...the Join document... }}</pre>
 */
public record PublishedJoin(String name, int version, Join definition, Instant publishedAt, String publishedBy) {
  /** Registry topic keys of Joins start with this; GroupBy keys are bare names. */
  public static final String KEY_PREFIX = "join:";

  public PublishedJoin {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(definition, "definition");
    Objects.requireNonNull(publishedAt, "publishedAt");
    if (version < 1) throw new IllegalArgumentException("version must be >= 1");
    if (!name.equals(definition.name())) throw new IllegalArgumentException("name " + name + " != definition name " + definition.name());
  }

  /** The registry topic key of a Join. */
  public static String topicKey(String name) {
    return KEY_PREFIX + name;
  }

  public ObjectNode toTree() {
    throw new UnsupportedOperationException("TODO");
  }

  public String toJson() {
    throw new UnsupportedOperationException("TODO");
  }

  public static PublishedJoin fromJson(String json) {
    throw new UnsupportedOperationException("TODO");
  }

  /** @throws IllegalArgumentException when the record is not a readable published Join */
  public static PublishedJoin fromTree(JsonNode n) {
    throw new UnsupportedOperationException("TODO");
  }
}
