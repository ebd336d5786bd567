package dev.tessera.registry.definition;

import dev.tessera.registry.publish.PublicationState;
import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * The parts of the registry API that are the same for every kind of definition: list rows,
 * versions, history, retirement, and how a write answers (201 + Location for a new version,
 * otherwise 200; the ETag always).
 */
public final class DefinitionResponses {
  private DefinitionResponses() {}

  public record Retired(String name, int version, DefinitionStatus status, Change change, PublicationState publication) {}

  /** One row of a list. {@code featureCount}: a GroupBy's features, a Join's output columns. */
  public record Listed(String name, DefinitionStatus status, int latestVersion, String team, String description, boolean online,
      int featureCount, Instant updatedAt, String updatedBy) {
    public static Listed of(DefinitionSummary s) {
      return new Listed(s.name(), s.status(), s.latestVersion(), s.team(), s.description(), s.online(), s.featureCount(),
          s.updatedAt(), s.updatedBy());
    }
  }

  /** One version in the history list. */
  public record VersionInfo(int version, Instant publishedAt, String publishedBy, Instant updatedAt, String updatedBy,
      boolean latest) {}

  public record VersionList(String name, DefinitionStatus status, int latestVersion, List<VersionInfo> versions) {}

  public record History(String name, List<HistoryEvent> events) {}

  /** The list, filtered by {@code status} (ACTIVE or RETIRED, all when blank) and {@code team}. */
  public static List<Listed> list(DefinitionRegistry<?, ?> registry, String status, String team) {
    DefinitionStatus wanted = status == null || status.isBlank() ? null : parseStatus(status);
    return registry.list().stream()
        .filter(s -> wanted == null || s.status() == wanted)
        .filter(s -> team == null || team.equals(s.team()))
        .map(Listed::of).toList();
  }

  public static VersionList versions(DefinitionRegistry<?, ?> registry, String name) {
    DefinitionSummary s = registry.summary(name);
    return new VersionList(name, s.status(), s.latestVersion(), registry.versions(name).stream()
        .map(v -> new VersionInfo(v.version(), v.publishedAt(), v.publishedBy(), v.updatedAt(), v.updatedBy(),
            v.version() == s.latestVersion()))
        .toList());
  }

  public static History history(DefinitionRegistry<?, ?> registry, String name) {
    return new History(name, registry.history(name));
  }

  /** {@code DELETE /{name}}: retires, honouring {@code expectedVersion} and {@code If-Match}. */
  public static ResponseEntity<Retired> retire(DefinitionRegistry<?, ?> registry, String name, Integer expectedVersion, String ifMatch,
      Principal principal) {
    RetireResult r = registry.retire(name, PreconditionHeaders.parse(expectedVersion, ifMatch, null), principal.getName());
    return ResponseEntity.ok().eTag(PreconditionHeaders.etag(r.summary()))
        .body(new Retired(name, r.summary().latestVersion(), r.summary().status(), r.change(), r.publication()));
  }

  /** A publish's answer: 201 with the new version's Location, or 200 when no version was made; the ETag in both. */
  public static <T> ResponseEntity<T> published(PublishResult<?, ?> r, String collectionPath, T body) {
    var response = ResponseEntity.status(r.change().createsVersion() ? HttpStatus.CREATED : HttpStatus.OK)
        .eTag(PreconditionHeaders.etag(r.summary()));
    if (r.change().createsVersion()) {
      response.location(URI.create(collectionPath + "/" + r.summary().name() + "/versions/" + r.summary().latestVersion()));
    }
    return response.body(body);
  }

  private static DefinitionStatus parseStatus(String s) {
    try {
      return DefinitionStatus.valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("status must be ACTIVE or RETIRED, got '" + s + "'");
    }
  }
}
