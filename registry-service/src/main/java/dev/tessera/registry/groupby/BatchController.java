package dev.tessera.registry.groupby;

import dev.tessera.registry.definition.BadRequestException;
import dev.tessera.registry.definition.BatchResult;
import dev.tessera.registry.definition.DefinitionDocument;
import dev.tessera.registry.definition.DocumentFormat;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registers a folder of definitions in one call (the CLI's {@code register} and {@code validate}:
 * a team keeps its definitions in git). Every definition is validated; only when all are valid
 * are they published, together, in one transaction. {@code dryRun=true} reports what would change.
 */
@RestController
@Tag(name = "GroupBys")
public class BatchController {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  /** Objects are stored (and shown in the UI) as the registry formats them, one field per line. */
  private static final JsonMapper PRETTY = JsonMapper.builder().enable(tools.jackson.databind.SerializationFeature.INDENT_OUTPUT).build();

  private final GroupByRegistry registry;

  public BatchController(GroupByRegistry registry) {
    this.registry = registry;
  }

  @Operation(summary = "Validate and publish several GroupBys, all or nothing",
      description = "Body: a JSON array whose items are GroupBy objects or {\"file\": \"a.yaml\", \"content\": \"<yaml or json text>\"}. "
          + "200 with one item per definition (its change and version; with dryRun, what would happen). "
          + "400 (problem+json, type invalid-groupby-batch) when any definition is invalid or a name repeats: nothing is published "
          + "and items lists each definition's problems. A dry run needs no login.")
  @PostMapping(path = "/api/v1/groupbys:batch", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
  public BatchResult batchJson(@RequestBody String body,
      @Parameter(description = "validate and plan only") @RequestParam(defaultValue = "false") boolean dryRun, Principal principal) {
    return run(fromJson(body), dryRun, principal);
  }

  @Operation(summary = "Validate and publish several GroupBy files, all or nothing",
      description = "multipart/form-data with one file part per definition (any part name); .json files are read as JSON, "
          + "everything else as YAML. Same answers as the JSON form.")
  @PostMapping(path = "/api/v1/groupbys:batch", consumes = MediaType.MULTIPART_FORM_DATA_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
  public BatchResult batchFiles(MultipartHttpServletRequest request, @RequestParam(defaultValue = "false") boolean dryRun,
      Principal principal) throws IOException {
    List<DefinitionDocument> docs = new ArrayList<>();
    for (List<MultipartFile> files : request.getMultiFileMap().values()) {
      for (MultipartFile f : files) {
        String label = f.getOriginalFilename() == null || f.getOriginalFilename().isBlank() ? f.getName() : f.getOriginalFilename();
        String text = new String(f.getBytes(), StandardCharsets.UTF_8);
        docs.add(new DefinitionDocument(text, formatOf(label, f.getContentType(), text), label));
      }
    }
    return run(docs, dryRun, principal);
  }

  private BatchResult run(List<DefinitionDocument> docs, boolean dryRun, Principal principal) {
    if (docs.isEmpty()) throw new BadRequestException("the batch has no definitions");
    BatchResult r = registry.publishAll(docs, dryRun, principal == null ? null : principal.getName());
    if (!r.valid()) throw new InvalidBatchException(r);
    return r;
  }

  static List<DefinitionDocument> fromJson(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body == null ? "" : body);
    } catch (JacksonException e) {
      throw new BadRequestException("the batch is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isArray()) {
      throw new BadRequestException("the batch must be a JSON array of GroupBy objects or {file, content} objects");
    }
    List<DefinitionDocument> docs = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      JsonNode item = root.get(i);
      if (item.isObject() && item.has("content") && !item.has("name")) {
        JsonNode content = item.get("content");
        if (!content.isString()) throw new BadRequestException("[" + i + "].content must be the text of a definition");
        String label = item.hasNonNull("file") ? item.get("file").asString() : "#" + i;
        docs.add(new DefinitionDocument(content.stringValue(), formatOf(label, null, content.stringValue()), label));
      } else {
        docs.add(new DefinitionDocument(PRETTY.writeValueAsString(item), DocumentFormat.JSON, "#" + i));
      }
    }
    return docs;
  }

  /** By file extension, else by the part's content type, else by what the text looks like. */
  static DocumentFormat formatOf(String fileName, String contentType, String text) {
    String n = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
    if (n.endsWith(".json")) return DocumentFormat.JSON;
    if (n.endsWith(".yaml") || n.endsWith(".yml")) return DocumentFormat.YAML;
    if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json")) return DocumentFormat.JSON;
    if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("yaml")) return DocumentFormat.YAML;
    return DocumentFormat.guess(text);
  }

  /** Some definitions of a batch are invalid: 400 with every definition's problems. */
  public static class InvalidBatchException extends RuntimeException {
    private final transient BatchResult result;

    InvalidBatchException(BatchResult result) {
      super(result.invalidCount() + " of " + result.items().size() + " definitions have problems; nothing was published");
      this.result = result;
    }

    public BatchResult result() {
      return result;
    }
  }
}
