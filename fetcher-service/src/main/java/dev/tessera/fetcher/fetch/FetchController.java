package dev.tessera.fetcher.fetch;

import dev.tessera.support.web.RequestIds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/** DESIGN.md "REST APIs", fetcher: merged feature values of a GroupBy for a list of keys or one key. */
@RestController
@RequestMapping(path = "/v1/features/groupby", produces = MediaType.APPLICATION_JSON_VALUE)
class FetchController {
  static final String AT_MILLIS = FetchHttp.AT_MILLIS;

  private final FetchService service;
  private final ObjectReader bodyReader;
  private final ObjectWriter responseWriter;

  FetchController(FetchService service, JsonMapper json) {
    this.service = service;
    this.bodyReader = json.reader();
    this.responseWriter = json.writerFor(FetchResponse.class);
  }

  @Operation(summary = "Feature values for a list of keys",
      description = "One result per key, in order. A key that cannot be served has status Failure and an error; the others "
          + "still succeed. A key without data succeeds with null (0 for counts, {} for maps) values.")
  @ApiResponse(responseCode = "200", description = "results, one per key",
      content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = FetchResponse.class)))
  @ApiResponse(responseCode = "400", description = "malformed body, invalid key, too many keys or bad atMillis", content = @Content(mediaType = "application/problem+json"))
  @ApiResponse(responseCode = "404", description = "no live GroupBy of that name", content = @Content(mediaType = "application/problem+json"))
  @ApiResponse(responseCode = "503", description = "Redis unavailable or overloaded; retry", content = @Content(mediaType = "application/problem+json"))
  @PostMapping(path = "/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
  @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, description = "a JSON array of key objects",
      content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
          array = @ArraySchema(schema = @Schema(type = "object", description = "one key: key column -> value")),
          examples = @ExampleObject("[{\"user_id\": \"123\"}, {\"user_id\": \"456\"}]")))
  @Parameter(in = ParameterIn.PATH, name = "name", required = true, description = "the GroupBy", schema = @Schema(type = "string"))
  @Parameter(in = ParameterIn.QUERY, name = AT_MILLIS, description = "values as of this time (epoch millis) instead of now",
      schema = @Schema(type = "string"))
  @Parameter(in = ParameterIn.HEADER, name = RequestIds.HEADER, description = "echoed in the answer; one is made up when absent",
      schema = @Schema(type = "string"))
  void fetch(HttpServletRequest request, HttpServletResponse response) throws IOException {
    // read from the request rather than resolved as annotated arguments: Spring MVC's argument resolution (a data
    // binder per named value) was 4% of a single-key fetch's CPU (docs/benchmarks.md)
    String name = pathVariable(request, "name");
    JsonNode keys = readKeys(request, name);
    String id = headers(request.getHeader(RequestIds.HEADER), response);
    write(service.fetch(name, keys, request.getParameter(AT_MILLIS), id), response);
  }

  private JsonNode readKeys(HttpServletRequest request, String groupBy) throws IOException {
    return FetchHttp.readJson(bodyReader, request, groupBy);
  }

  private void write(FetchResponse body, HttpServletResponse response) throws IOException {
    FetchHttp.write(responseWriter, body, response);
  }

  @Operation(summary = "Feature values for one key given as query parameters",
      description = "One query parameter per key column, e.g. ?user_id=123; atMillis optional.")
  @ApiResponse(responseCode = "200", description = "one result")
  @ApiResponse(responseCode = "400", description = "missing, unknown or unparsable key parameter", content = @Content(mediaType = "application/problem+json"))
  @ApiResponse(responseCode = "404", description = "no live GroupBy of that name", content = @Content(mediaType = "application/problem+json"))
  @ApiResponse(responseCode = "503", description = "Redis unavailable or overloaded; retry", content = @Content(mediaType = "application/problem+json"))
  @GetMapping("/{name}")
  FetchResponse fetchOne(
      @PathVariable String name,
      @Parameter(hidden = true) @RequestParam MultiValueMap<String, String> params,
      @RequestHeader(name = RequestIds.HEADER, required = false) String requestId,
      HttpServletResponse response) {
    Map<String, List<String>> keyParams = new HashMap<>(params);
    List<String> at = keyParams.remove(AT_MILLIS);
    String id = headers(requestId, response);
    return service.fetchOne(name, keyParams, at == null || at.isEmpty() ? null : at.getLast(), id);
  }

  private static String headers(String requestId, HttpServletResponse response) {
    return FetchHttp.headers(requestId, response);
  }

  private static String pathVariable(HttpServletRequest request, String variable) {
    return FetchHttp.pathVariable(request, variable);
  }
}
