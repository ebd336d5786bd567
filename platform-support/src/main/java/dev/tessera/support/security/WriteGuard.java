package dev.tessera.support.security;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One guard in front of every service's writes (DESIGN.md "Security"), in this order:
 * <ol>
 *   <li>a form or text body ({@code application/x-www-form-urlencoded}, {@code multipart/form-data},
 *       {@code text/plain}: what a web page may post cross-site without a preflight) is a 415: the
 *       APIs take JSON only;</li>
 *   <li>a write with an {@code Origin} header that is not configured is a 403: the APIs are for
 *       programs, and a browser that remembered Basic credentials must not lend them to another site;</li>
 *   <li>a write without a credential is a 401; a credential the registry does not know is a 401
 *       (counted by the {@link LoginThrottle}: too many are a 429 with Retry-After); a valid one
 *       without WRITER or ADMIN is a 403; a registry that cannot be asked is a 503.</li>
 * </ol>
 * Reads (GET, HEAD, OPTIONS) pass, unless {@code guarded} says a path is guarded for every method.
 */
public final class WriteGuard implements Filter {
  private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
  private static final Set<String> FORM_TYPES = Set.of("application/x-www-form-urlencoded", "multipart/form-data", "text/plain");

  private final RegistryAuthentication authentication;
  private final Set<String> allowedOrigins;
  private final Predicate<HttpServletRequest> guarded;
  private final String service;

  /**
   * @param service the service's name in answers ("the batch service")
   * @param guarded which requests need a writer's credential (default: every non-GET)
   */
  public WriteGuard(String service, RegistryCredentials registry, LoginThrottle throttle, Set<String> allowedOrigins,
      Predicate<HttpServletRequest> guarded) {
    this.service = service;
    this.authentication = new RegistryAuthentication(registry, throttle);
    this.allowedOrigins = Set.copyOf(allowedOrigins);
    this.guarded = guarded;
  }

  /** Every request that may change something: all methods but GET, HEAD, OPTIONS and TRACE. */
  public static boolean isWrite(HttpServletRequest request) {
    return !SAFE.contains(request.getMethod().toUpperCase(Locale.ROOT));
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    if (isFormBody(request)) {
      ProblemResponse.write(request, response, 415, ProblemResponse.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
          "This API takes application/json bodies only, not " + mediaType(request) + ".");
      return;
    }
    if (!guarded.test(request)) {
      chain.doFilter(request, response);
      return;
    }
    String origin = request.getHeader("Origin");
    if (origin != null && !allowedOrigins.contains(origin)) {
      ProblemResponse.write(request, response, 403, ProblemResponse.CROSS_ORIGIN, "Cross-origin write refused",
          "Writes from web pages of another origin are refused; allow the origin in tessera.security.allowed-origins.");
      return;
    }
    String missing = "This request changes " + service + ": authenticate with a registry account (HTTP Basic) or an API token "
        + "(X-API-Key or Authorization: Bearer) that has the WRITER or ADMIN role.";
    Optional<Caller> caller = authentication.authenticate(request, response, missing);
    if (caller.isEmpty()) return;
    if (!caller.get().mayWrite()) {
      ProblemResponse.write(request, response, 403, ProblemResponse.FORBIDDEN, "Not allowed",
          caller.get().name() + " may not do this: changing " + service + " needs the WRITER or ADMIN role.");
      return;
    }
    chain.doFilter(new AuthenticatedRequest(request, caller.get()), response);
  }

  private static boolean isFormBody(HttpServletRequest request) {
    String type = mediaType(request);
    return type != null && FORM_TYPES.contains(type);
  }

  private static String mediaType(HttpServletRequest request) {
    String type = request.getContentType();
    if (type == null) return null;
    int semicolon = type.indexOf(';');
    return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
  }

  /** The request as the controllers see it: its principal is the registry's caller. */
  private static final class AuthenticatedRequest extends jakarta.servlet.http.HttpServletRequestWrapper {
    private final Caller caller;

    AuthenticatedRequest(HttpServletRequest request, Caller caller) {
      super(request);
      this.caller = caller;
    }

    @Override
    public java.security.Principal getUserPrincipal() {
      return caller::name;
    }

    @Override
    public String getRemoteUser() {
      return caller.name();
    }

    @Override
    public boolean isUserInRole(String role) {
      return caller.roles().contains(role);
    }
  }
}
