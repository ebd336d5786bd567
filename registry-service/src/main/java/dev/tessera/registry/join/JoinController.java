package dev.tessera.registry.join;

import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.agg.join.Join;
import dev.tessera.registry.definition.DefinitionDocument;
import dev.tessera.registry.definition.DefinitionResponses.History;
import dev.tessera.registry.definition.DefinitionResponses.Retired;
import dev.tessera.registry.definition.DefinitionResponses.VersionList;
import dev.tessera.registry.definition.DefinitionResponses;
import dev.tessera.registry.definition.DefinitionSummary;
import dev.tessera.registry.definition.DocumentFormat;
import dev.tessera.registry.definition.Plan;
import dev.tessera.registry.definition.PreconditionHeaders;
import dev.tessera.registry.definition.Validation;
import dev.tessera.registry.join.JoinRegistry.JoinDiff;
import dev.tessera.registry.join.JoinResponses.JoinList;
import dev.tessera.registry.join.JoinResponses.Published;
import dev.tessera.registry.join.JoinResponses.Validated;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.util.List;
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

/**
 * The Join API (DESIGN-joins.md): the verbs, authentication, versioning and errors of the GroupBy
 * API, for the definitions of feature vectors. A Join is checked against the GroupBys of this
 * registry.
 */
@RestController
@RequestMapping(path = "/api/v1/joins", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Joins", description = "Register, validate, version, publish and retire Join definitions (a model's feature vector)")
public class JoinController {
  private static final String EXAMPLE_YAML = """
      name: fraud_model
      team: risk
      online: true
      left:
        table: checkouts
        timeColumn: ts
        schema: {buyer: STRING, amount_now: DOUBLE, ts: LONG}
      parts:
        - groupBy: fraud_features
          keyMapping: {buyer: user_id}
          prefix: buyer
      request: [amount_now]
      derivations:
        - {name: amount_vs_avg, expression: "amount_now / buyer_amount_avg_24h"}
      """;

  private final JoinRegistry registry;

  public JoinController(JoinRegistry registry) {
    this.registry = registry;
  }

  @Operation(summary = "Publish a Join",
      description = "Validates the Join against the registry's GroupBys (each part's live version, or the pinned one; a retired "
          + "GroupBy is refused) and publishes it: 201 with a new version when left, parts, request or derivations changed (or "
          + "the name is new or was retired), 200 when only team/description/online changed (the latest version is updated) or "
          + "nothing changed. The record goes to the registry topic under the key join:<name>. 400 lists every problem; 409 "
          + "when expectedVersion / If-Match does not hold.",
      security = {@SecurityRequirement(name = "basic"), @SecurityRequirement(name = "apiKey")},
      requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = {
          @Content(mediaType = "application/yaml", examples = @ExampleObject(value = EXAMPLE_YAML)),
          @Content(mediaType = "application/json", schema = @Schema(type = "object"))}))
  @ApiResponse(responseCode = "201", description = "a new version was published")
  @ApiResponse(responseCode = "200", description = "metadata updated in place, or unchanged")
  @ApiResponse(responseCode = "400", description = "invalid Join", content = @Content(mediaType = "application/problem+json"))
  @ApiResponse(responseCode = "409", description = "version conflict", content = @Content(mediaType = "application/problem+json"))
  @PostMapping(consumes = {MediaType.APPLICATION_JSON_VALUE, "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"})
  public ResponseEntity<Published> publish(@RequestBody(required = false) String body,
      @RequestHeader(HttpHeaders.CONTENT_TYPE) MediaType contentType,
      @Parameter(description = "the latest version you based this on; 0 = the name must be new")
      @RequestParam(required = false) Integer expectedVersion,
      @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
      @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
      Principal principal) {
    var pre = PreconditionHeaders.parse(expectedVersion, ifMatch, ifNoneMatch);
    var r = registry.publish(DefinitionDocument.of(body == null ? "" : body, DocumentFormat.of(contentType)), pre, principal.getName());
    JoinView view = registry.view(r.summary(), r.version());
    return DefinitionResponses.published(r, "/api/v1/joins",
        new Published(view.name(), view.version(), r.change(), r.previousVersion(), r.publication(), view));
  }

  @Operation(summary = "Validate a Join (dry run)",
      description = "Reports every problem (400, problem+json with JSON paths and lines) or, when valid, what a publish would do, "
          + "the GroupBy version each part resolves to and the output columns with their types. Writes nothing; no login needed.")
  @PostMapping(path = "/validate", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/yaml", "application/x-yaml",
      "text/yaml", "text/x-yaml"})
  public Validated validate(@RequestBody(required = false) String body, @RequestHeader(HttpHeaders.CONTENT_TYPE) MediaType contentType) {
    Validation<Join, CompiledJoin> v = registry.validate(DefinitionDocument.of(body == null ? "" : body, DocumentFormat.of(contentType)),
        "validate");
    CompiledJoin compiled = v.orThrow();
    Plan plan = registry.plan(v);
    return new Validated(true, plan.name(), plan.change(), plan.version(), plan.previousVersion(),
        JoinView.keyColumns(compiled.definition(), compiled), JoinView.parts(compiled.definition(), compiled, registry.groupBysNow(), List.of()),
        JoinView.columns(compiled));
  }

  @Operation(summary = "List Joins", description = "Every registered Join with its status, latest version and number of output columns.")
  @GetMapping
  public JoinList list(@Parameter(description = "ACTIVE or RETIRED; all when absent") @RequestParam(required = false) String status,
      @Parameter(description = "only this team") @RequestParam(required = false) String team) {
    return new JoinList(DefinitionResponses.list(registry, status, team));
  }

  @Operation(summary = "The latest version of a Join",
      description = "The PublishedJoin record plus status, the GroupBy version each part resolves to now, the key columns and "
          + "every output column with its type and kind; the ETag is the optimistic-locking token for If-Match.")
  @ApiResponse(responseCode = "404", description = "unknown name", content = @Content(mediaType = "application/problem+json"))
  @GetMapping("/{name}")
  public ResponseEntity<JoinView> latest(@PathVariable String name) {
    DefinitionSummary s = registry.summary(name);
    return ResponseEntity.ok().eTag(PreconditionHeaders.etag(s)).body(registry.view(s, registry.latestVersion(s)));
  }

  @Operation(summary = "Every version of a Join, newest first")
  @GetMapping("/{name}/versions")
  public VersionList versions(@PathVariable String name) {
    return DefinitionResponses.versions(registry, name);
  }

  @Operation(summary = "One version of a Join", description = "As the latest; its parts resolved against the GroupBys now.")
  @GetMapping("/{name}/versions/{version}")
  public JoinView version(@PathVariable String name, @PathVariable int version) {
    return registry.view(registry.summary(name), registry.version(name, version));
  }

  @Operation(summary = "What changed between two versions",
      description = "Whether the data changed (sameComputation) and a line diff of the canonical YAML. Defaults: the latest "
          + "version against the one before it.")
  @GetMapping("/{name}/diff")
  public JoinDiff diff(@PathVariable String name, @RequestParam(required = false) Integer from, @RequestParam(required = false) Integer to) {
    return registry.diff(name, from, to);
  }

  @Operation(summary = "Every change of a Join (publishes, metadata updates, retirements), newest first")
  @GetMapping("/{name}/history")
  public History history(@PathVariable String name) {
    return DefinitionResponses.history(registry, name);
  }

  @Operation(summary = "Retire a Join",
      description = "Marks it retired and publishes a tombstone under join:<name>; followers drop it. Its history stays, and its "
          + "GroupBys may then be retired. Publishing the name again makes a new version. Retiring a retired Join changes nothing.",
      security = {@SecurityRequirement(name = "basic"), @SecurityRequirement(name = "apiKey")})
  @DeleteMapping("/{name}")
  public ResponseEntity<Retired> retire(@PathVariable String name, @RequestParam(required = false) Integer expectedVersion,
      @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch, Principal principal) {
    return DefinitionResponses.retire(registry, name, expectedVersion, ifMatch, principal);
  }
}
