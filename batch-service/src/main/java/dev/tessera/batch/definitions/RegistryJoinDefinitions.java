package dev.tessera.batch.definitions;

import dev.tessera.agg.registry.PublishedJoin;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Joins from the registry's REST API: {@code GET /api/v1/joins/{name}} (the latest version, with its
 * status) and {@code GET /api/v1/joins/{name}/versions/{v}}. Asked on every job request, so a Join
 * published a moment ago counts at once. A retired Join is not found.
 *
 * @throws RegistryClient.RegistryUnavailableException from the lookups when the registry cannot be asked
 */
public final class RegistryJoinDefinitions implements JoinDefinitions {
  private final RegistryClient client;

  public RegistryJoinDefinitions(RegistryClient client) {
    this.client = client;
  }

  @Override
  public Optional<PublishedJoin> find(String name) {
    return client.get("/api/v1/joins/" + RegistryClient.segment(name)).filter(n -> !retired(n)).map(PublishedJoin::fromTree);
  }

  @Override
  public Optional<PublishedJoin> find(String name, int version) {
    return client.get("/api/v1/joins/" + RegistryClient.segment(name) + "/versions/" + version).map(PublishedJoin::fromTree)
        .filter(p -> p.version() == version);
  }

  @Override
  public String description() {
    return "registry " + client.base();
  }

  private static boolean retired(JsonNode n) {
    return "RETIRED".equalsIgnoreCase(n.path("status").asString("")) || n.path("retired").asBoolean(false);
  }
}
