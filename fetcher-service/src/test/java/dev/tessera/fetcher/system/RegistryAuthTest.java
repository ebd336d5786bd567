package dev.tessera.fetcher.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.fetcher.testdata.StubRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * {@code tessera.fetcher.auth=registry} (README "Security"): a fetch needs a registry account or API
 * token of any role, checked with a stand-in registry over real HTTP; the answer is cached, so a
 * client's fetches cost the registry one check per ttl; a registry that cannot be asked is a 503,
 * never an open door. Redis and Kafka point at a closed port: an accepted fetch gets as far as the
 * definitions (the stand-in knows none: 404), which is all this needs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "tessera.fetcher.auth=registry",
    "tessera.fetcher.registry.follow-topic=false",
    "spring.kafka.bootstrap-servers=127.0.0.1:1",
    "spring.data.redis.host=127.0.0.1",
    "spring.data.redis.port=1"})
@AutoConfigureRestTestClient
class RegistryAuthTest {
  static final StubRegistry REGISTRY = new StubRegistry();
  static final String READER = "fetch-reader-token-0123456789";
  static final String OTHER_READER = "fetch-other-reader-token-0123456789";
  static final String WRITER = "fetch-writer-token-0123456789";

  @Autowired
  RestTestClient http;

  @DynamicPropertySource
  static void registry(DynamicPropertyRegistry registry) {
    REGISTRY.token(READER, "model-server", "READER");
    REGISTRY.token(OTHER_READER, "notebook", "READER");
    REGISTRY.token(WRITER, "ci", "WRITER");
    // the definitions and the credentials come from the same registry unless tessera.security.registry-url says otherwise
    registry.add("tessera.fetcher.registry.url", REGISTRY::url);
  }

  @AfterAll
  static void stop() {
    REGISTRY.close();
  }

  private RestTestClient.ResponseSpec fetch(String header, String value) {
    var request = http.post().uri("/v1/features/groupby/unknown_groupby").contentType(MediaType.APPLICATION_JSON).body("[{\"user_id\": \"u1\"}]");
    if (header != null) request.header(header, value);
    return request.exchange();
  }

  @Test
  void anyRoleOfTheRegistryMayFetchByApiKeyOrBearerToken() {
    fetch("X-API-Key", READER).expectStatus().isNotFound()
        .expectBody().jsonPath("$.type").isEqualTo("https://tessera.dev/problems/unknown-groupby");
    fetch("Authorization", "Bearer " + WRITER).expectStatus().isNotFound();
  }

  @Test
  void aFetchWithoutACredentialOrWithOneTheRegistryDoesNotKnowIsA401() {
    fetch(null, null).expectStatus().isUnauthorized()
        .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectHeader().exists("WWW-Authenticate")
        .expectBody().jsonPath("$.type").isEqualTo("https://tessera.dev/problems/unauthorized");
    String wrong = "not-a-token-of-this-registry-1";
    fetch("X-API-Key", wrong).expectStatus().isUnauthorized()
        .expectBody().jsonPath("$.detail").isEqualTo("The credential is not valid.");
    fetch("X-API-Key", wrong).expectStatus().isUnauthorized();
    assertThat(REGISTRY.checks(wrong)).as("a wrong token's answer is kept too (invalid-credential-cache-ttl)").isEqualTo(1);
  }

  @Test
  void aClientsFetchesCostTheRegistryOneCheckPerTtl() {
    for (int i = 0; i < 5; i++) fetch("X-API-Key", OTHER_READER).expectStatus().isNotFound();
    assertThat(REGISTRY.checks(OTHER_READER)).isEqualTo(1);
  }

  @Test
  void aRegistryThatCannotBeAskedIsA503NotAnOpenDoor() {
    String unseen = "fetch-unseen-token-0123456789";
    REGISTRY.token(unseen, "late", "READER");
    REGISTRY.credentialsDown = true;
    try {
      fetch("X-API-Key", unseen).expectStatus().isEqualTo(503)
          .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
          .expectHeader().exists("Retry-After")
          .expectBody().jsonPath("$.type").isEqualTo("https://tessera.dev/problems/registry-unavailable");
    } finally {
      REGISTRY.credentialsDown = false;
    }
    // no answer was kept: asked again once the registry is back
    fetch("X-API-Key", unseen).expectStatus().isNotFound();
  }

  @Test
  void healthAndMetricsStayOpen() {
    http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
  }
}
