package dev.tessera.fetcher.join;

import dev.tessera.fetcher.fetch.FetchHttp;
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
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/** DESIGN-joins.md "Online": a Join's whole feature vector for a list of rows or one row, in one Redis round trip. */
@RestController
@RequestMapping(path = "/v1/features/join", produces = MediaType.APPLICATION_JSON_VALUE)
class JoinController {
  private final JoinFetchService service;
  private final ObjectReader bodyReader;
  private final JoinResponseWriter responseWriter;

  JoinController(JoinFetchService service, JsonMapper json) {
    this.service = service;
    this.bodyReader = json.reader();
    this.responseWriter = new JoinResponseWriter(json);
  }

  @Operation(summary = "A Join's feature vector for a list of rows",
      description = "One result per row, in order: every output column of the Join (request fields, the parts' features named "
          + "{prefix}_{feature}, derivations) as of atMillis (default now). All parts of all rows are read in one Redis round trip. "
          + "A part that cannot be served leaves its features null and says why in meta.parts.<part>.error (status PartialFailure; "
          + "Failure when every part failed); the other rows and parts are still served.")
  @ApiResponse(responseCode = "200", description = "results, one per row",
      content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = JoinResponse.class)))
  @ApiResponse(responseCode = "400", description = "malformed body; a missing, null or unknown key column, a missing request field, a value "
      + "of the wrong type; too many rows or bad atMillis", content = @Content(mediaType = "application/problem+json"))
  @ApiResponse(responseCode = "404", description = "no live Join of that name", content = @Content(mediaType = "application/problem+json"))
  @ApiResponse(responseCode = "503", description = "Redis unavailable or overloaded, or the Join's parts do not resolve to live GroupBys; "
      + "retry", content = @Content(mediaType = "application/problem+json"))
  @PostMapping(path = "/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
  @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
      description = "a JSON array of request objects, each with the Join's key columns (not null) and request fields (null allowed)",
      content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
          array = @ArraySchema(schema = @Schema(type = "object", description = "one row: key column or request field -> value")),
          examples = @ExampleObject("[{\"buyer\": \"123\", \"shop\": \"m9\", \"amount_now\": 12.5, \"channel\": \"web\"}]")))
  @Parameter(in = ParameterIn.PATH, name = "name", required = true, description = "the Join", schema = @Schema(type = "string"))
  @Parameter(in = ParameterIn.QUERY, name = FetchHttp.AT_MILLIS, description = "values as of this time (epoch millis) instead of now",
      schema = @Schema(type = "string"))
  @Parameter(in = ParameterIn.HEADER, name = RequestIds.HEADER, description = "echoed in the answer; one is made up when absent",
      schema = @Schema(type = "string"))
  void fetch(HttpServletRequest request, HttpServletResponse response) throws IOException {
    // read from the request rather than resolved as annotated arguments, as the GroupBy fetch does (docs/benchmarks.md)
    String name = FetchHttp.pathVariable(request, "name");
    String id = FetchHttp.headers(request.getHeader(RequestIds.HEADER), response);
    JoinResponse body = service.fetch(name, () -> FetchHttp.readJson(bodyReader, request, null), request.getParameter(FetchHttp.AT_MILLIS), id);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    responseWriter.write(body, response.getOutputStream());
  }

  @Operation(summary = "A Join's feature vector for one row given as query parameters",
      description = "One query parameter per key column and request field, e.g. ?buyer=123&shop=m9&amount_now=12.5&channel=web; "
          + "atMillis optional. A request field cannot be null here: POST the row for that.")
  @ApiResponse(responseCode = "200", description = "one result")
  @ApiResponse(responseCode = "400", description = "missing, unknown or unparsable parameter", content = @Content(mediaType = "application/problem+json"))
  @ApiResponse(responseCode = "404", description = "no live Join of that name", content = @Content(mediaType = "application/problem+json"))
  @ApiResponse(responseCode = "503", description = "Redis unavailable or overloaded, or the Join's parts do not resolve; retry",
      content = @Content(mediaType = "application/problem+json"))
  @GetMapping("/{name}")
  JoinResponse fetchOne(
      @PathVariable String name,
      @Parameter(hidden = true) @RequestParam MultiValueMap<String, String> params,
      @RequestHeader(name = RequestIds.HEADER, required = false) String requestId,
      HttpServletResponse response) throws IOException {
    Map<String, List<String>> fields = new HashMap<>(params);
    List<String> at = fields.remove(FetchHttp.AT_MILLIS);
    String id = FetchHttp.headers(requestId, response);
    return service.fetchOne(name, fields, at == null || at.isEmpty() ? null : at.getLast(), id);
  }
}
