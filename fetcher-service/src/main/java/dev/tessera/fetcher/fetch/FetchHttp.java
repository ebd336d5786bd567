package dev.tessera.fetcher.fetch;

import dev.tessera.support.security.BodyLimit;
import dev.tessera.support.security.ErrorText;
import dev.tessera.support.web.RequestIds;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.HandlerMapping;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;

/**
 * What the fetch endpoints (GroupBy and Join) do with the servlet request and response themselves
 * rather than through Spring MVC's argument resolution and message converters: a data binder per
 * named value and converter selection were measurable shares of a single-key fetch's CPU (README
 * "Benchmark").
 */
public final class FetchHttp {
  public static final String AT_MILLIS = "atMillis";

  private FetchHttp() {}

  /** The decoded value of a URI template variable, as {@code @PathVariable} would resolve it. */
  public static String pathVariable(HttpServletRequest request, String variable) {
    Map<?, ?> variables = (Map<?, ?>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
    return (String) variables.get(variable);
  }

  /**
   * The body as a JSON tree.
   *
   * @param groupBy the GroupBy asked for (metric tag of the 400), or null
   * @throws InvalidRequestException (malformed-body) when it is missing or not JSON
   */
  public static JsonNode readJson(ObjectReader reader, HttpServletRequest request, String groupBy) throws IOException {
    try {
      JsonNode body = reader.readTree(request.getInputStream());
      if (body == null || body.isMissingNode()) throw InvalidRequestException.malformedBody("the body is not readable JSON: missing or empty", groupBy);
      return body;
    } catch (JacksonException e) {
      var tooLarge = BodyLimit.cause(e);
      if (tooLarge.isPresent()) throw new BodyTooLargeException(tooLarge.get().detail(), groupBy);
      TokenStreamLocation at = e.getLocation();
      String where = at == null || at.getLineNr() < 0 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
      throw InvalidRequestException.malformedBody("the body is not readable JSON: " + ErrorText.clean(e.getOriginalMessage()) + where, groupBy);
    }
  }

  public static void write(ObjectWriter writer, Object body, HttpServletResponse response) throws IOException {
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    writer.writeValue(response.getOutputStream(), body);
  }

  /**
   * Values are as of a moment: never cached. The request id goes back to the caller: the one the
   * platform's filter chose for this request (it is in every log line of the request), else, when no
   * filter ran (a test calling the controller), the caller's or a new one.
   */
  public static String headers(String requestId, HttpServletResponse response) {
    String current = RequestIds.current();
    String id = current != null ? current : RequestIds.orNew(requestId);
    response.setHeader(RequestIds.HEADER, id);
    response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    return id;
  }
}
