package dev.tessera.batch.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.batch.testing.BatchServiceIT;
import dev.tessera.batch.testing.RecordedRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every write of the batch service needs a registry credential with WRITER or ADMIN (DESIGN.md
 * "Security"). The endpoints are enumerated from Spring MVC's own mapping, so an endpoint added
 * later is covered without touching this test.
 */
class WriteEndpointsGuardIT extends BatchServiceIT {
  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mapping;

  record Endpoint(HttpMethod method, String path) {}

  /**
   * Every non-GET mapping, with its path variables filled in (job 999999 does not exist). A mapping
   * without methods (Boot's /error) takes POST too.
   */
  private List<Endpoint> writes() {
    List<Endpoint> out = new ArrayList<>();
    mapping.getHandlerMethods().forEach((info, handler) -> {
      var methods = info.getMethodsCondition().getMethods();
      for (RequestMethod m : methods.isEmpty() ? java.util.Set.of(RequestMethod.POST) : methods) {
        if (m == RequestMethod.GET || m == RequestMethod.HEAD || m == RequestMethod.OPTIONS) continue;
        for (String pattern : info.getPatternValues()) out.add(new Endpoint(HttpMethod.valueOf(m.name()), pattern.replaceAll("\\{[^}]+}", "999999")));
      }
    });
    return out;
  }

  @Test
  void theEnumerationFindsTheJobWrites() {
    assertThat(writes()).extracting(Endpoint::path)
        .contains("/api/v1/jobs/backfill", "/api/v1/jobs/training-set", "/api/v1/jobs/upload", "/api/v1/jobs/ingest",
            "/api/v1/jobs/consistency", "/api/v1/jobs/purge", "/api/v1/jobs/999999/stop", "/api/v1/jobs/999999/restart");
  }

  @Test
  void everyWriteWithoutACredentialIsA401Problem() {
    for (Endpoint e : writes()) {
      anonymous.method(e.method()).uri(e.path()).contentType(MediaType.APPLICATION_JSON).body("{}").exchange()
          .expectStatus().isUnauthorized()
          .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
          .expectBody().jsonPath("$.type").isEqualTo("https://tessera.dev/problems/unauthorized");
    }
  }

  @Test
  void everyWriteWithAnUnknownTokenIsA401AndWithAReaderTokenA403() {
    int n = 0;
    for (Endpoint e : writes()) {
      // a different wrong token each time: the same one would be throttled after a few tries
      anonymous.method(e.method()).uri(e.path()).header("X-API-Key", "not-a-token-the-registry-knows-" + n++)
          .contentType(MediaType.APPLICATION_JSON).body("{}").exchange()
          .expectStatus().isUnauthorized();
      anonymous.method(e.method()).uri(e.path()).header("X-API-Key", RecordedRegistry.READER_TOKEN)
          .contentType(MediaType.APPLICATION_JSON).body("{}").exchange()
          .expectStatus().isForbidden()
          .expectBody().jsonPath("$.type").isEqualTo("https://tessera.dev/problems/forbidden");
    }
  }

  /** Issue 21: any web page could stop batch jobs (form content types, Origin ignored). */
  @Test
  void formBodiesAre415AndForeignOriginsA403EvenForAWriter() {
    for (Endpoint e : writes()) {
      for (MediaType form : List.of(MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA, MediaType.TEXT_PLAIN)) {
        http.method(e.method()).uri(e.path()).contentType(form).body("a=b").exchange()
            .expectStatus().isEqualTo(415)
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
      }
      http.method(e.method()).uri(e.path()).header("Origin", "https://evil.example").contentType(MediaType.APPLICATION_JSON)
          .body("{}").exchange()
          .expectStatus().isForbidden()
          .expectBody().jsonPath("$.type").isEqualTo("https://tessera.dev/problems/cross-origin-write");
    }
  }

  @Test
  void aWriterPassesTheGuardAndTheCheckIsCached() {
    int before = RecordedRegistry.INSTANCE.credentialChecks();
    for (Endpoint e : writes()) {
      int status = http.method(e.method()).uri(e.path()).contentType(MediaType.APPLICATION_JSON).body("{}").exchange()
          .returnResult(byte[].class).getStatus().value();
      assertThat(status).as(e.toString()).isNotIn(401, 403, 415, 429);
    }
    assertThat(RecordedRegistry.INSTANCE.credentialChecks() - before).as("one check per cache ttl, not one per request").isLessThanOrEqualTo(1);
  }

  @Test
  void anXmlBodyIsA415Problem() {
    http.post().uri("/api/v1/jobs/backfill").contentType(MediaType.APPLICATION_XML).body("<a/>").exchange()
        .expectStatus().isEqualTo(415)
        .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody().jsonPath("$.type").isEqualTo("https://tessera.dev/problems/unsupported-media-type");
  }
}
