package dev.tessera.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The service boots on a real port and serves what DESIGN.md "REST APIs" promises every
 * service: /actuator/health, /actuator/prometheus and the OpenAPI document at /v3/api-docs.
 * Kafka points at a closed port, so this also proves startup does not connect to it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // Nothing listens here: the service must start without Kafka (no connection at startup).
        "spring.kafka.bootstrap-servers=127.0.0.1:1"})
@AutoConfigureRestTestClient
class RegistryApplicationTest {

    @Autowired
    RestTestClient http;

    @Test
    void healthIsUp() {
        http.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    @Test
    void prometheusExposesJvmMetrics() {
        http.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_PLAIN)
                .expectBody(String.class)
                .value(body -> assertThat(body).contains("jvm_").contains("jvm_memory_used_bytes"));
    }

    @Test
    void openApiDocumentIsServedAsJson() {
        http.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.openapi").value(String.class, version -> assertThat(version).startsWith("3."))
                .jsonPath("$.info").exists();
    }

    /** The skeleton denied everything else; with the API built, reads are open and the rest needs a login. */
    @Test
    void readsAreOpenAndEverythingElseNeedsALogin() {
        http.get().uri("/api/v1/groupbys").exchange().expectStatus().isOk();
        http.post().uri("/api/v1/groupbys").contentType(MediaType.APPLICATION_JSON).body("{}").exchange()
                .expectStatus().isUnauthorized();
        http.get().uri("/actuator/metrics").exchange().expectStatus().isUnauthorized();
        http.get().uri("/ui/groupbys").exchange().expectStatus().is3xxRedirection()
                .expectHeader().value("Location", location -> assertThat(location).endsWith("/login"));
    }

    @Test
    void defaultsMatchTheDesign() throws IOException {
        PropertySource<?> yml = new YamlPropertySourceLoader()
                .load("application.yml", new ClassPathResource("application.yml")).getFirst();
        assertThat(yml.getProperty("server.port")).isEqualTo(8081);
        assertThat(yml.getProperty("spring.application.name")).isEqualTo("tessera-registry");
        assertThat(yml.getProperty("management.endpoints.web.exposure.include"))
                .isEqualTo("health,info,prometheus,metrics");
    }
}
