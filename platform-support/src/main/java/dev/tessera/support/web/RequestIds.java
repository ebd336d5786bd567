package dev.tessera.support.web;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.http.ProblemDetail;

/**
 * The request id of an HTTP request: the caller's {@code X-Request-Id} when it is a plausible id,
 * else one made here. {@link RequestIdFilter} puts it in the logging MDC (so every log line of the
 * request carries it), in the response header and, through {@link #addTo}, in every problem
 * document, so a user can quote the id of a failed call and an operator can find its log lines.
 */
public final class RequestIds {
  public static final String HEADER = "X-Request-Id";
  /** The MDC key (log pattern {@code %X{requestId}}, a field of the JSON log line) and the problem property. */
  public static final String KEY = "requestId";
  static final String ATTRIBUTE = RequestIds.class.getName();

  /**
   * Letters, digits and {@code . _ : -}, at most 128: UUIDs, trace ids and most proxies' ids pass;
   * anything else (spaces, quotes, line breaks, long strings) would let a caller forge or flood log
   * lines, so it is replaced rather than echoed.
   */
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private RequestIds() {}

  /** The incoming id if it is sane, else a new one. */
  public static String orNew(String incoming) {
    if (incoming != null && SANE.matcher(incoming).matches()) return incoming;
    // a random (version 4) UUID without SecureRandom, which contends under load on the fetch path;
    // ids need not be secret
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(hi, lo).toString();
  }

  /** The id of the request this thread serves, or null outside a request. */
  public static String current() {
    return MDC.get(KEY);
  }

  /** The problem with the current request id as its {@code requestId} property (unchanged outside a request). */
  public static ProblemDetail addTo(ProblemDetail problem) {
    String id = current();
    if (id != null && (problem.getProperties() == null || !problem.getProperties().containsKey(KEY))) {
      problem.setProperty(KEY, id);
    }
    return problem;
  }
}
