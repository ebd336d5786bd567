package dev.tessera.batch.definitions;

import dev.tessera.agg.registry.PublishedGroupBy;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Any version of a GroupBy, from the registry's REST API
 * ({@code GET {registry-url}/api/v1/groupbys/{name}/versions/{v}}): the batch service follows the
 * registry topic, which only carries live versions, but the consistency job must recompute a fetch
 * logged under an older version with that version's definition, and a Join part may pin an older
 * version. A published version never changes, so what was found is cached per (name, version); what
 * was not (registry down, version purged) is asked again next time.
 */
public class RegistryVersions {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryVersions.class);

  private final RegistryClient client;
  private final ConcurrentHashMap<String, PublishedGroupBy> cache = new ConcurrentHashMap<>();

  public RegistryVersions(URI base, Duration timeout) {
    this(new RegistryClient(base, timeout));
  }

  public RegistryVersions(RegistryClient client) {
    this.client = client;
  }

  public URI base() {
    return client.base();
  }

  /** The topic's record out of the endpoint's body; see {@link RegistryClient#publishedRecord}. */
  public static JsonNode publishedRecord(String body) {
    return RegistryClient.publishedRecord(body);
  }

  /** The published version, or empty when the registry does not answer, does not know it, or answers something unreadable. */
  public Optional<PublishedGroupBy> find(String name, int version) {
    String cacheKey = name + "\u0000" + version;
    PublishedGroupBy cached = cache.get(cacheKey);
    if (cached != null) return Optional.of(cached);
    try {
      Optional<JsonNode> body = client.get("/api/v1/groupbys/" + RegistryClient.segment(name) + "/versions/" + version);
      if (body.isEmpty()) {
        LOG.info("registry {} does not know {} version {}", client.base(), name, version);
        return Optional.empty();
      }
      PublishedGroupBy p = PublishedGroupBy.fromTree(body.get());
      if (!p.name().equals(name) || p.version() != version) {
        LOG.warn("registry {} answered {} version {} for {} version {}", client.base(), p.name(), p.version(), name, version);
        return Optional.empty();
      }
      cache.put(cacheKey, p);
      return Optional.of(p);
    } catch (RuntimeException e) {
      LOG.warn("registry {} did not give {} version {}: {}", client.base(), name, version, e.toString());
      return Optional.empty();
    }
  }
}
