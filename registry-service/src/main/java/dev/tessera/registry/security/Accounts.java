package dev.tessera.registry.security;

import dev.tessera.registry.system.RegistryProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * Who may log in, from configuration: users (HTTP Basic and the admin UI) and API tokens
 * (machines). When neither is configured there is no silent default: an {@code admin} user with a
 * random password is generated for this run, and the caller logs the password.
 */
public final class Accounts {
  public static final String GENERATED_ADMIN = "admin";

  private final List<UserDetails> users;
  private final List<Token> tokens;
  private final String generatedPassword;
  private final String rolloutToken;

  /** A configured API token and the identity it stands for. */
  public record Token(String name, byte[] secret, List<GrantedAuthority> authorities) {}

  /**
   * The identity the registry's own rollouts act as when they start batch jobs (DESIGN.md "Version
   * rollout"): batch checks the token with the registry like any other. An api token of this name
   * from configuration is used as it is (several registry instances must share one); otherwise a
   * random one lives as long as this process.
   */
  public static final String ROLLOUT_TOKEN_NAME = "rollout";

  private Accounts(List<UserDetails> users, List<Token> tokens, String generatedPassword, String rolloutToken) {
    this.users = List.copyOf(users);
    this.tokens = List.copyOf(tokens);
    this.generatedPassword = generatedPassword;
    this.rolloutToken = rolloutToken;
  }

  public static Accounts from(RegistryProperties.Security security, SecureRandom random) {
    List<UserDetails> users = new ArrayList<>();
    String generated = null;
    if (security.nothingConfigured()) {
      byte[] bytes = new byte[18];
      random.nextBytes(bytes);
      generated = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      users.add(user(GENERATED_ADMIN, generated, List.of(RegistryProperties.Role.ADMIN)));
    }
    for (RegistryProperties.User u : security.users()) users.add(user(u.name(), u.password(), u.roles()));
    List<Token> tokens = new ArrayList<>(security.apiTokens().stream()
        .map(t -> new Token(t.name(), t.token().getBytes(StandardCharsets.UTF_8), authorities(t.roles()))).toList());
    String rollout = security.apiTokens().stream().filter(t -> t.name().equals(ROLLOUT_TOKEN_NAME)).map(RegistryProperties.ApiToken::token)
        .findFirst().orElse(null);
    if (rollout == null) {
      byte[] bytes = new byte[24];
      random.nextBytes(bytes);
      rollout = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      tokens.add(new Token(ROLLOUT_TOKEN_NAME, rollout.getBytes(StandardCharsets.UTF_8), authorities(List.of(RegistryProperties.Role.WRITER))));
    }
    return new Accounts(users, tokens, generated, rollout);
  }

  /** A password without an encoding id ({@code {bcrypt}...}) is plain text from configuration. */
  private static UserDetails user(String name, String password, List<RegistryProperties.Role> roles) {
    String stored = password.startsWith("{") && password.indexOf('}') > 1 ? password : "{" + PasswordEncoders.PLAIN + "}" + password;
    return User.withUsername(name).password(stored).authorities(authorities(roles)).build();
  }

  static List<GrantedAuthority> authorities(List<RegistryProperties.Role> roles) {
    return roles.stream().map(r -> (GrantedAuthority) new SimpleGrantedAuthority("ROLE_" + r.name())).toList();
  }

  public List<UserDetails> users() {
    return users;
  }

  public Optional<String> generatedPassword() {
    return Optional.ofNullable(generatedPassword);
  }

  /** The token the registry's rollouts present to the batch service. */
  public String rolloutToken() {
    return rolloutToken;
  }

  /** The token with this secret; every configured token is compared in constant time. */
  public Optional<Token> token(String presented) {
    byte[] p = presented.getBytes(StandardCharsets.UTF_8);
    Token found = null;
    for (Token t : tokens) {
      if (MessageDigest.isEqual(t.secret(), p)) found = t;
    }
    return Optional.ofNullable(found);
  }
}
