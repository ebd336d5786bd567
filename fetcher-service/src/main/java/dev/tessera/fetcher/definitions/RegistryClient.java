package dev.tessera.fetcher.definitions;

import dev.tessera.agg.compile.CompileResult;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.agg.registry.PublishedJoin;
import dev.tessera.support.LiveGroupBy;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.JsonNode;

/**
 * Asks the registry service for the latest version of one GroupBy ({@code GET
 * /api/v1/groupbys/{name}}, DESIGN.md "REST APIs"; open to read without credentials): the fallback
 * for a name the registry topic has not shown yet, e.g. one published a moment ago. The body holds
 * the {@link PublishedGroupBy} fields plus {@code status} (ACTIVE or RETIRED) and derived views.
 * Likewise for a pinned GroupBy version ({@code /versions/{v}}; the topic keeps only the latest)
 * and for Joins ({@code GET /api/v1/joins/{name}}: the {@link PublishedJoin} fields plus status).
 */
public class RegistryClient {
  /** The registry could not be asked or gave an answer that cannot be used. */
  public static final class RegistryUnavailableException extends RuntimeException {
    RegistryUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final RestClient http;
  private final URI base;

  public RegistryClient(URI base, Duration timeout) {
    this.base = base;
    HttpClient jdk = HttpClient.newBuilder().connectTimeout(timeout).build();
    JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(jdk);
    factory.setReadTimeout(timeout);
    this.http = RestClient.builder().baseUrl(base.toString()).requestFactory(factory).build();
  }

  /**
   * @return the live GroupBy, or empty when the registry does not know the name (or it is retired)
   * @throws RegistryUnavailableException when the registry cannot be reached or its answer is unusable
   */
  public Optional<LiveGroupBy> latest(String name) {
    return live(get("/api/v1/groupbys/{name}", name)).map(body -> groupBy(name, body));
  }

  /**
   * One version of a GroupBy ({@code GET /api/v1/groupbys/{name}/versions/{v}}), for a Join part
   * that pins it.
   *
   * @return the version, or empty when the registry knows no such version (or the GroupBy is retired)
   * @throws RegistryUnavailableException when the registry cannot be reached or its answer is unusable
   */
  public Optional<LiveGroupBy> version(String name, int version) {
    Optional<LiveGroupBy> found = live(get("/api/v1/groupbys/{name}/versions/{v}", name, version)).map(body -> groupBy(name, body));
    if (found.isPresent() && found.get().version() != version) {
      throw new RegistryUnavailableException("registry answered version " + found.get().version() + " of GroupBy " + name
          + " when asked for version " + version, null);
    }
    return found;
  }

  /**
   * The live version of a Join ({@code GET /api/v1/joins/{name}}), not compiled: that needs the
   * GroupBys of its parts.
   *
   * @return the Join, or empty when the registry does not know the name (or it is retired)
   * @throws RegistryUnavailableException when the registry cannot be reached or its answer is unusable
   */
  public Optional<PublishedJoin> join(String name) {
    return live(get("/api/v1/joins/{name}", name)).map(body -> {
      try {
        return PublishedJoin.fromTree(body);
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        throw new RegistryUnavailableException("registry returned an unreadable Join " + name + ": " + e.getMessage(), e);
      }
    });
  }

  /** The body of a GET, or null for a 404. */
  private JsonNode get(String uri, Object... variables) {
    try {
      return http.get().uri(uri, variables).accept(MediaType.APPLICATION_JSON)
          .exchange((request, response) -> {
            if (response.getStatusCode().value() == HttpStatus.NOT_FOUND.value()) return null;
            if (!response.getStatusCode().is2xxSuccessful()) {
              throw new RegistryUnavailableException("registry at " + base + " answered " + response.getStatusCode().value(), null);
            }
            return response.bodyTo(JsonNode.class);
          });
    } catch (RestClientException e) {
      throw new RegistryUnavailableException("registry at " + base + " cannot be reached: " + e.getMessage(), e);
    }
  }

  /** A found body that is not retired: the registry answers for retired definitions too, with status RETIRED, and those are not served. */
  private static Optional<JsonNode> live(JsonNode body) {
    if (body == null) return Optional.empty();
    if ("RETIRED".equalsIgnoreCase(body.path("status").asString("")) || body.path("retired").asBoolean(false)) return Optional.empty();
    return Optional.of(body);
  }

  private static LiveGroupBy groupBy(String name, JsonNode body) {
    try {
      PublishedGroupBy published = PublishedGroupBy.fromTree(body);
      CompileResult compiled = GroupByCompiler.compile(published.definition());
      if (!compiled.ok()) {
        throw new RegistryUnavailableException("registry returned GroupBy " + name + " version " + published.version()
            + ", which does not compile here: " + compiled.problems(), null);
      }
      return new LiveGroupBy(published, compiled.compiled());
    } catch (IllegalArgumentException e) {
      throw new RegistryUnavailableException("registry returned an unreadable GroupBy " + name + ": " + e.getMessage(), e);
    }
  }
}
