package dev.tessera.support.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request its id ({@link RequestIds}) before anything else runs (registered at the
 * highest precedence, ahead of Spring Security), so that the lines logged and the problems written by
 * the security filters, the controllers and the error page all carry it.
 */
public final class RequestIdFilter extends OncePerRequestFilter {

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    // an error or async dispatch of the same request keeps the id its first dispatch chose
    String id = request.getAttribute(RequestIds.ATTRIBUTE) instanceof String known
        ? known : RequestIds.orNew(request.getHeader(RequestIds.HEADER));
    request.setAttribute(RequestIds.ATTRIBUTE, id);
    if (!response.isCommitted()) response.setHeader(RequestIds.HEADER, id);
    String outer = MDC.get(RequestIds.KEY);
    MDC.put(RequestIds.KEY, id);
    try {
      chain.doFilter(request, response);
    } finally {
      if (outer == null) MDC.remove(RequestIds.KEY);
      else MDC.put(RequestIds.KEY, outer);
    }
  }

  /** Spring Boot's error page renders in an error dispatch after the first one ended: it needs the id too. */
  @Override
  protected boolean shouldNotFilterErrorDispatch() {
    return false;
  }

  @Override
  protected boolean shouldNotFilterAsyncDispatch() {
    return false;
  }
}
