package dev.tessera.registry.system;

import dev.tessera.support.web.RequestIds;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a problem where Spring MVC does not (servlet filters, Spring Security's entry points), in
 * the same shape the MVC advice produces: extra properties at the top level.
 */
public final class ProblemWriter {
  private static final JsonMapper JSON = JsonMapper.builder().addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class).build();

  private ProblemWriter() {}

  public static void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem) throws IOException {
    if (problem.getInstance() == null) problem.setInstance(URI.create(request.getRequestURI()));
    RequestIds.addTo(problem);
    response.setStatus(problem.getStatus());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.getOutputStream().write(JSON.writeValueAsBytes(problem));
  }
}
