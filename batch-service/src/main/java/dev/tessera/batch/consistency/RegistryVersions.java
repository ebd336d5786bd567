package dev.tessera.batch.consistency;

import dev.tessera.agg.registry.PublishedGroupBy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Any version of a GroupBy, from the registry's REST API
 * ({@code GET {registry-url}/api/v1/groupbys/{name}/versions/{v}}): the batch service follows the
 * registry topic, which only carries live versions, but the consistency job must recompute a fetch
 * logged under an older version with that version's definition. A published version never changes,
 * so what was found is cached per (name, version); what was not (registry down, version purged) is
 * asked again next time.
 */
public class RegistryVersions {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryVersions.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final URI base;
  private final Duration timeout;
  private final HttpClient client;
  private final ConcurrentHashMap<String, PublishedGroupBy> cache = new ConcurrentHashMap<>();

  public RegistryVersions(URI base, Duration timeout) {
    String b = base.toString();
    this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  public URI base() {
    return base;
  }

  /**
   * The topic's record out of the endpoint's body (the record's fields plus derived ones: status,
   * features, hops...). Only name, version and definition matter here; a publication time in another
   * form than ISO text is dropped rather than failing the lookup.
   */
  static JsonNode publishedRecord(String body) {
    JsonNode n = JSON.readTree(body);
    if (n instanceof ObjectNode o && o.has("publishedAt")) {
      JsonNode at = o.get("publishedAt");
      boolean iso = at.isString();
      if (iso) {
        try {
          java.time.Instant.parse(at.asString());
        } catch (java.time.format.DateTimeParseException e) {
          iso = false;
        }
      }
      if (!iso) o.remove("publishedAt");
    }
    return n;
  }

  /** The published version, or empty when the registry does not answer, does not know it, or answers something unreadable. */
  public Optional<PublishedGroupBy> find(String name, int version) {
    String cacheKey = name + "\u0000" + version;
    PublishedGroupBy cached = cache.get(cacheKey);
    if (cached != null) return Optional.of(cached);
    URI uri = URI.create(base + "/api/v1/groupbys/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20")
        + "/versions/" + version);
    try {
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        LOG.info("registry {} answered {} for {} version {}", base, response.statusCode(), name, version);
        return Optional.empty();
      }
      PublishedGroupBy p = PublishedGroupBy.fromTree(publishedRecord(response.body()));
      if (!p.name().equals(name) || p.version() != version) {
        LOG.warn("registry {} answered {} version {} for {} version {}", base, p.name(), p.version(), name, version);
        return Optional.empty();
      }
      cache.put(cacheKey, p);
      return Optional.of(p);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (Exception e) {
      LOG.warn("registry {} did not give {} version {}: {}", base, name, version, e.toString());
      return Optional.empty();
    }
  }
}
