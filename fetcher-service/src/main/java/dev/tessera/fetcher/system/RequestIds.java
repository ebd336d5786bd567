package dev.tessera.fetcher.system;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Request ids: the caller's {@code X-Request-Id} when it is a sensible token, else a new random
 * one; echoed in the response and written into feature log records, to join them with callers' logs.
 */
public final class RequestIds {
  public static final String HEADER = "X-Request-Id";
  private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private RequestIds() {}

  public static String orNew(String given) {
    if (given != null && ACCEPTED.matcher(given).matches()) return given;
    // a random (version 4) UUID without SecureRandom, which contends under load; ids need not be secret
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(hi, lo).toString();
  }
}
