package dev.tessera.support.security;

/** The registry's answer about one credential. */
public sealed interface CredentialCheck {
  /** The credential is valid: this is who presented it. */
  record Valid(Caller caller) implements CredentialCheck {}

  /** The registry does not know the credential (wrong password, unknown token). */
  record Invalid() implements CredentialCheck {}

  /** The registry could not be asked (down, timed out, answered nonsense): no decision. */
  record Unavailable(String reason) implements CredentialCheck {}
}
