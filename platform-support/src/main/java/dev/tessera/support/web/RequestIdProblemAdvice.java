package dev.tessera.support.web;

import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Adds the request id to every problem document Spring MVC writes, whichever advice of the service
 * built it (each service keeps its one {@code @RestControllerAdvice}; none of them has to remember
 * this). Problems written outside Spring MVC (servlet filters) call {@link RequestIds#addTo} themselves.
 */
@ControllerAdvice
public class RequestIdProblemAdvice implements ResponseBodyAdvice<Object> {

  @Override
  public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
    return true;
  }

  @Override
  public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
      Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request, ServerHttpResponse response) {
    return body instanceof ProblemDetail problem ? RequestIds.addTo(problem) : body;
  }
}
