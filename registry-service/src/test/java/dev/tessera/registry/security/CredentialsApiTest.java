package dev.tessera.registry.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.registry.RegistryHttpTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * The registry as the one place credentials are checked: {@code /api/v1/auth/me} answers who a
 * credential is (what batch, stream and fetcher ask), and guessing a password is throttled.
 */
class CredentialsApiTest extends RegistryHttpTestBase {

  @Test
  void meAnswersTheNameAndRolesOfABasicAccountAndOfAToken() {
    http.get().uri("/api/v1/auth/me").headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD)).exchange()
        .expectStatus().isOk()
        .expectBody().jsonPath("$.name").isEqualTo(WRITER).jsonPath("$.roles[0]").isEqualTo("WRITER");
    http.get().uri("/api/v1/auth/me").header("X-API-Key", TOKEN).exchange()
        .expectStatus().isOk()
        .expectBody().jsonPath("$.name").isEqualTo("ci").jsonPath("$.roles[0]").isEqualTo("WRITER");
    http.get().uri("/api/v1/auth/me").headers(h -> h.setBasicAuth(READER, READER_PASSWORD)).exchange()
        .expectStatus().isOk()
        .expectBody().jsonPath("$.roles[0]").isEqualTo("READER");
  }

  @Test
  void meRefusesNoCredentialAndAWrongOneWith401Problems() {
    http.get().uri("/api/v1/auth/me").exchange()
        .expectStatus().isUnauthorized()
        .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    http.get().uri("/api/v1/auth/me").header("X-API-Key", "not-a-token-of-this-registry").exchange()
        .expectStatus().isUnauthorized()
        .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
  }

  /** Issue 21: 20 wrong passwords in a row, then the right one, were all answered. */
  @Test
  void twentyWrongPasswordsThenTheRightOneIsAnsweredTooManyAttempts() {
    int unauthorized = 0;
    int throttled = 0;
    for (int i = 0; i < 20; i++) {
      int status = http.get().uri("/api/v1/auth/me").headers(h -> h.setBasicAuth("guessed", "wrong-guess")).exchange()
          .returnResult(byte[].class).getStatus().value();
      if (status == 401) unauthorized++;
      if (status == 429) throttled++;
    }
    assertThat(unauthorized).as("the first failures are checked and refused").isEqualTo(5);
    assertThat(throttled).as("then the account is throttled without checking the password").isEqualTo(15);
    http.get().uri("/api/v1/auth/me").headers(h -> h.setBasicAuth("guessed", "guessed-secret")).exchange()
        .expectStatus().isEqualTo(429)
        .expectHeader().exists(HttpHeaders.RETRY_AFTER)
        .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody().jsonPath("$.type").isEqualTo("https://tessera.dev/problems/too-many-attempts");
    // another account from the same address is not locked out
    http.get().uri("/api/v1/auth/me").headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD)).exchange().expectStatus().isOk();
  }
}
