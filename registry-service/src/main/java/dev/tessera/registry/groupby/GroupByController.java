package dev.tessera.registry.groupby;

import dev.tessera.agg.definition.GroupBy;
import dev.tessera.registry.definition.DefinitionDocument;
import dev.tessera.registry.definition.DefinitionResponses.History;
import dev.tessera.registry.definition.DefinitionResponses.Retired;
import dev.tessera.registry.definition.DefinitionResponses.VersionList;
import dev.tessera.registry.definition.DefinitionResponses;
import dev.tessera.registry.definition.DefinitionSummary;
import dev.tessera.registry.definition.DocumentFormat;
import dev.tessera.registry.definition.Plan;
import dev.tessera.registry.definition.Precondition;
import dev.tessera.registry.definition.PreconditionHeaders;
import dev.tessera.registry.definition.StoredVersion;
import dev.tessera.registry.groupby.ApiResponses.GroupByList;
import dev.tessera.registry.groupby.ApiResponses.Published;
import dev.tessera.registry.groupby.ApiResponses.Validated;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The registry REST API of DESIGN.md "REST APIs", plus versions, history and diff. */
@RestController
@RequestMapping(path = "/api/v1/groupbys", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "GroupBys", description = "Register, validate, version, publish and retire GroupBy definitions")
public class GroupByController {
  private static final String EXAMPLE_YAML = """
      name: fraud_features
      team: risk
      online: true
      keys: [user_id]
      sources:
        - events:
            table: purchases
            topic: purchases
            schema: {user_id: STRING, amount: DOUBLE, ts: LONG}
            query: {timeColumn: ts}
      aggregations:
        - {inputColumn: amount, operation: AVG, windows: [1h, 24h]}
      """;

  private final GroupByRegistry registry;

  public GroupByController(GroupByRegistry registry) {
    this.registry = registry;
  }

  @Operation(summary = "Publish a GroupBy",
      description = "Validates the definition and publishes it: 201 with a new version when sources, keys or aggregations "
          + "changed (or the name is new or was retired), 200 when only team/description/online/streaming changed "
          + "(the latest version is updated) or nothing changed. The answer comes after the database commit; "
          + "publication.status says whether the record is on the registry topic yet (PENDING while Kafka is unreachable: "
          + "the outbox keeps re-sending). 400 lists every problem; 409 when expectedVersion / If-Match does not hold, or "
          + "(groupby-in-use) when an active Join reading this GroupBy would no longer compile against the new version.",
      security = {@SecurityRequirement(name = "basic"), @SecurityRequirement(name = "apiKey")},
      requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = {
          @Content(mediaType = "application/yaml", examples = @ExampleObject(value = EXAMPLE_YAML)),
          @Content(mediaType = "application/json", schema = @Schema(type = "object"))}))
  @ApiResponse(responseCode = "201", description = "a new version was published")
  @ApiResponse(responseCode = "200", description = "metadata updated in place, or unchanged")
  @ApiResponse(responseCode = "400", description = "invalid definition", content = @Content(mediaType = "application/problem+json"))
  @ApiResponse(responseCode = "409", description = "version conflict", content = @Content(mediaType = "application/problem+json"))
  @PostMapping(consumes = {MediaType.APPLICATION_JSON_VALUE, "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"})
  public ResponseEntity<Published> publish(@RequestBody(required = false) String body,
      @RequestHeader(HttpHeaders.CONTENT_TYPE) MediaType contentType,
      @Parameter(description = "the latest version you based this on; 0 = the name must be new")
      @RequestParam(required = false) Integer expectedVersion,
      @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
      @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
      Principal principal) {
    Precondition pre = PreconditionHeaders.parse(expectedVersion, ifMatch, ifNoneMatch);
    var r = registry.publish(DefinitionDocument.of(body == null ? "" : body, DocumentFormat.of(contentType)), pre, principal.getName());
    GroupByView view = GroupByView.of(r.summary(), r.version(), r.compiled());
    return DefinitionResponses.published(r, "/api/v1/groupbys",
        new Published(view.name(), view.version(), r.change(), r.previousVersion(), r.publication(), view));
  }

  @Operation(summary = "Validate a GroupBy (dry run)",
      description = "Reports every problem (400, problem+json with JSON paths and lines) or, when valid, what a publish "
          + "would do and the features the definition produces. Writes nothing; no login needed.")
  @PostMapping(path = "/validate", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/yaml", "application/x-yaml",
      "text/yaml", "text/x-yaml"})
  public Validated validate(@RequestBody(required = false) String body, @RequestHeader(HttpHeaders.CONTENT_TYPE) MediaType contentType) {
    var v = registry.validate(DefinitionDocument.of(body == null ? "" : body, DocumentFormat.of(contentType)), "validate");
    var compiled = v.orThrow();
    Plan plan = registry.plan(v);
    return new Validated(true, plan.name(), plan.change(), plan.version(), plan.previousVersion(), GroupByView.features(compiled),
        GroupByView.tileSize(compiled), compiled.tileSize(), GroupByView.hops(compiled));
  }

  @Operation(summary = "List GroupBys", description = "Every registered name with its status and latest version.")
  @GetMapping
  public GroupByList list(@Parameter(description = "ACTIVE or RETIRED; all when absent") @RequestParam(required = false) String status,
      @Parameter(description = "only this team") @RequestParam(required = false) String team) {
    return new GroupByList(DefinitionResponses.list(registry, status, team));
  }

  @Operation(summary = "The latest version of a GroupBy",
      description = "The PublishedGroupBy record plus status and derived features; the ETag is the optimistic-locking token for If-Match.")
  @ApiResponse(responseCode = "404", description = "unknown name", content = @Content(mediaType = "application/problem+json"))
  @GetMapping("/{name}")
  public ResponseEntity<GroupByView> latest(@PathVariable String name) {
    DefinitionSummary s = registry.summary(name);
    StoredVersion<GroupBy> v = registry.latestVersion(s);
    return ResponseEntity.ok().eTag(PreconditionHeaders.etag(s)).body(GroupByView.of(s, v, GroupByRegistry.compile(v)));
  }

  @Operation(summary = "The live version of a GroupBy",
      description = "The version the fetcher serves (DESIGN.md \"Version rollout\"): the latest one unless a newer version is being "
          + "rolled out (GET /{name}/rollout). The services' definitions read this when the registry topic has not shown the name yet.")
  @ApiResponse(responseCode = "404", description = "unknown or retired", content = @Content(mediaType = "application/problem+json"))
  @GetMapping("/{name}/live")
  public GroupByView live(@PathVariable String name) {
    DefinitionSummary s = registry.summary(name);
    StoredVersion<GroupBy> v = registry.version(name, registry.rollout(name).liveVersion());
    return GroupByView.of(s, v, GroupByRegistry.compile(v));
  }

  @Operation(summary = "Every version of a GroupBy, newest first")
  @GetMapping("/{name}/versions")
  public VersionList versions(@PathVariable String name) {
    return DefinitionResponses.versions(registry, name);
  }

  @Operation(summary = "One version of a GroupBy")
  @GetMapping("/{name}/versions/{version}")
  public GroupByView version(@PathVariable String name, @PathVariable int version) {
    DefinitionSummary s = registry.summary(name);
    StoredVersion<GroupBy> v = registry.version(name, version);
    return GroupByView.of(s, v, GroupByRegistry.compile(v));
  }

  @Operation(summary = "What changed between two versions",
      description = "Keys, sources and aggregations added/removed/changed, features gained and lost, metadata, and a line "
          + "diff of the canonical YAML. Defaults: the latest version against the one before it.")
  @GetMapping("/{name}/diff")
  public DefinitionDiff diff(@PathVariable String name, @RequestParam(required = false) Integer from,
      @RequestParam(required = false) Integer to) {
    return registry.diff(name, from, to);
  }

  @Operation(summary = "Every change of a GroupBy (publishes, metadata updates, retirements), newest first")
  @GetMapping("/{name}/history")
  public History history(@PathVariable String name) {
    return DefinitionResponses.history(registry, name);
  }

  @Operation(summary = "Retire a GroupBy",
      description = "Marks it retired and publishes a tombstone; followers drop it. Its history stays. Publishing the name "
          + "again makes a new version. Retiring a retired GroupBy changes nothing. 409 (groupby-in-use, naming them in joins) "
          + "while active Joins read it.",
      security = {@SecurityRequirement(name = "basic"), @SecurityRequirement(name = "apiKey")})
  @DeleteMapping("/{name}")
  public ResponseEntity<Retired> retire(@PathVariable String name,
      @RequestParam(required = false) Integer expectedVersion,
      @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch, Principal principal) {
    return DefinitionResponses.retire(registry, name, expectedVersion, ifMatch, principal);
  }
}
