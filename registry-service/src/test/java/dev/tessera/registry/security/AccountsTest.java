package dev.tessera.registry.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.registry.system.RegistryProperties;
import dev.tessera.registry.system.RegistryProperties.ApiToken;
import dev.tessera.registry.system.RegistryProperties.Role;
import dev.tessera.registry.system.RegistryProperties.User;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.password.PasswordEncoder;

class AccountsTest {

  @Test
  void withNothingConfiguredAnAdminPasswordIsGeneratedPerStart() {
    var none = new RegistryProperties.Security(List.of(), List.of());
    Accounts a = Accounts.from(none, new SecureRandom());
    Accounts b = Accounts.from(none, new SecureRandom());
    assertThat(a.generatedPassword()).isPresent();
    assertThat(a.generatedPassword().get()).hasSize(24);
    assertThat(a.generatedPassword()).isNotEqualTo(b.generatedPassword());
    assertThat(a.users()).singleElement().satisfies(u -> {
      assertThat(u.getUsername()).isEqualTo("admin");
      assertThat(u.getAuthorities()).extracting(Object::toString).containsExactly("ROLE_ADMIN");
      assertThat(PasswordEncoders.delegating().matches(a.generatedPassword().get(), u.getPassword())).isTrue();
    });
  }

  @Test
  void configuredUsersAndTokensReplaceTheGeneratedLogin() {
    var security = new RegistryProperties.Security(
        List.of(new User("alice", "alice-secret", List.of(Role.WRITER)), new User("bob", "{bcrypt}$2a$10$abcdefghijklmnopqrstuv", List.of(Role.READER))),
        List.of(new ApiToken("ci", "0123456789abcdef0123", List.of(Role.WRITER))));
    Accounts a = Accounts.from(security, new SecureRandom());
    assertThat(a.generatedPassword()).isEmpty();
    assertThat(a.users()).extracting(u -> u.getUsername()).containsExactly("alice", "bob");
    PasswordEncoder encoder = PasswordEncoders.delegating();
    assertThat(encoder.matches("alice-secret", a.users().getFirst().getPassword())).isTrue();
    assertThat(encoder.matches("alice-secreT", a.users().getFirst().getPassword())).isFalse();
    assertThat(a.users().get(1).getPassword()).startsWith("{bcrypt}");
    assertThat(a.token("0123456789abcdef0123")).get().extracting(Accounts.Token::name).isEqualTo("ci");
    assertThat(a.token("0123456789abcdef012")).isEmpty();
  }
}
