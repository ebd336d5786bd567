package dev.tessera.registry.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;

/**
 * Passwords from configuration are either encoded ({@code {bcrypt}...}, {@code {pbkdf2}...}) or
 * plain text. Plain ones are compared in constant time and not re-hashed: the secret is in the
 * configuration anyway, and hashing on every HTTP Basic request would cost a CPU-heavy bcrypt.
 */
final class PasswordEncoders {
  static final String PLAIN = "plain";

  private PasswordEncoders() {}

  static PasswordEncoder delegating() {
    Map<String, PasswordEncoder> encoders = Map.of(
        "bcrypt", new BCryptPasswordEncoder(),
        "pbkdf2", Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8(),
        PLAIN, new Plain(),
        "noop", new Plain());
    return new DelegatingPasswordEncoder("bcrypt", encoders);
  }

  private static final class Plain implements PasswordEncoder {
    @Override
    public String encode(CharSequence raw) {
      return raw.toString();
    }

    @Override
    public boolean matches(CharSequence raw, String encoded) {
      return raw != null && encoded != null && MessageDigest.isEqual(raw.toString().getBytes(StandardCharsets.UTF_8),
          encoded.getBytes(StandardCharsets.UTF_8));
    }
  }
}
