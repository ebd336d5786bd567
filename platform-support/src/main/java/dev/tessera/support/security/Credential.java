package dev.tessera.support.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The credential a request presents, exactly as the registry accepts it: {@code X-API-Key},
 * {@code Authorization: Bearer} or {@code Authorization: Basic}. Its {@link #toString()} never
 * shows the secret, so a log line or an exception message cannot leak it.
 *
 * @param header the header it came in ({@code X-API-Key} or {@code Authorization}), passed on as is
 * @param value the header's value (the secret)
 */
public record Credential(String header, String value) {
  public static final String API_KEY = "X-API-Key";
  public static final String AUTHORIZATION = "Authorization";

  /** The credential of a request's headers; an API key wins over an Authorization header, as in the registry. */
  public static Optional<Credential> of(String apiKey, String authorization) {
    if (apiKey != null && !apiKey.isBlank()) return Optional.of(new Credential(API_KEY, apiKey.trim()));
    if (authorization != null && (authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        || authorization.regionMatches(true, 0, "Basic ", 0, 6))) {
      return Optional.of(new Credential(AUTHORIZATION, authorization.trim()));
    }
    return Optional.empty();
  }

  /**
   * Who the throttle counts the attempts of: the account of a Basic credential, or a short hash
   * of a token (never the token itself).
   */
  public String account() {
    if (header.equals(AUTHORIZATION) && value.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return "user:" + (colon < 0 ? decoded : decoded.substring(0, colon));
      } catch (IllegalArgumentException e) {
        return "malformed-basic";
      }
    }
    return "token:" + fingerprint().substring(0, 12);
  }

  /** SHA-256 of header and value: the cache key, so the cache never holds a secret in the clear. */
  public String fingerprint() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(header.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      return HexFormat.of().formatHex(sha.digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "Credential[" + header + ", " + account() + "]";
  }
}
