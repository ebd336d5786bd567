package dev.tessera.registry.system;

import dev.tessera.registry.definition.Kind;
import java.net.URI;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * The registry's problem types: stable URIs that clients can switch on
 * ({@code https://tessera.dev/problems/<name>}), with the titles people read.
 */
public final class Problems {
  public static final String BASE = "https://tessera.dev/problems/";
  public static final URI INVALID_GROUPBY_BATCH = type("invalid-groupby-batch");
  public static final URI VERSION_NOT_FOUND = type("version-not-found");
  public static final URI VERSION_CONFLICT = type("version-conflict");
  public static final URI BAD_REQUEST = type("bad-request");
  public static final URI UNAUTHORIZED = type("unauthorized");
  public static final URI FORBIDDEN = type("forbidden");
  public static final URI TOO_MANY_ATTEMPTS = type("too-many-attempts");
  public static final URI PAYLOAD_TOO_LARGE = type("payload-too-large");
  public static final URI UNSUPPORTED_MEDIA_TYPE = type("unsupported-media-type");
  public static final URI NOT_FOUND = type("not-found");
  public static final URI METHOD_NOT_ALLOWED = type("method-not-allowed");
  public static final URI NOT_ACCEPTABLE = type("not-acceptable");
  public static final URI INTERNAL_ERROR = type("internal-error");

  private Problems() {}

  /** {@code invalid-groupby}, {@code invalid-join}: a definition with problems (400). */
  public static URI invalid(Kind kind) {
    return type("invalid-" + kind.slug());
  }

  /** {@code groupby-not-found}, {@code join-not-found} (404). */
  public static URI notFound(Kind kind) {
    return type(kind.slug() + "-not-found");
  }

  /** {@code groupby-in-use}: retiring it is refused while active definitions of another kind use it (409). */
  public static URI inUse(Kind kind) {
    return type(kind.slug() + "-in-use");
  }

  public static URI type(String name) {
    return URI.create(BASE + name);
  }

  public static ProblemDetail of(HttpStatusCode status, URI type, String title, String detail) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setType(type);
    p.setTitle(title);
    return p;
  }

  /** The problem type for a status that has no more specific one. */
  public static URI typeFor(int status) {
    return switch (status) {
      case 400 -> BAD_REQUEST;
      case 401 -> UNAUTHORIZED;
      case 403 -> FORBIDDEN;
      case 404 -> NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 406 -> NOT_ACCEPTABLE;
      case 409 -> VERSION_CONFLICT;
      case 413 -> PAYLOAD_TOO_LARGE;
      case 415 -> UNSUPPORTED_MEDIA_TYPE;
      default -> status >= 500 ? INTERNAL_ERROR : type("http-" + status);
    };
  }
}
