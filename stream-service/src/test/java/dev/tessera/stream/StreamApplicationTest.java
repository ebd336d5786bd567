package dev.tessera.stream;

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
 * Kafka and Redis point at a closed port, so this also proves startup does not connect to them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // Nothing listens here: the service must start without Kafka or Redis (no connection at startup).
        "spring.kafka.bootstrap-servers=127.0.0.1:1",
        "spring.data.redis.host=127.0.0.1",
        "spring.data.redis.port=1",
        // With Redis unreachable its health contributor is rightly DOWN (and streamingJobs without Kafka).
        "management.health.redis.enabled=false"})
@AutoConfigureRestTestClient
class StreamApplicationTest {

    @Autowired
    RestTestClient http;

    @Test
    void healthIsDownOnlyBecauseTheJobsCannotReadKafka() {
        // without a broker the registry topic is never read, so no job can run: streamingJobs is DOWN
        http.get().uri("/actuator/health").exchange()
                .expectStatus().isEqualTo(503)
                .expectBody()
                .jsonPath("$.status").isEqualTo("DOWN")
                .jsonPath("$.components.streamingJobs.status").isEqualTo("DOWN")
                .jsonPath("$.components.streamingJobs.details.reason").value(r -> assertThat((String) r).contains("registry topic"))
                .jsonPath("$.components.diskSpace.status").isEqualTo("UP")
                .jsonPath("$.components.ping.status").isEqualTo("UP");
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

    @Test
    void defaultsMatchTheDesign() throws IOException {
        PropertySource<?> yml = new YamlPropertySourceLoader()
                .load("application.yml", new ClassPathResource("application.yml")).getFirst();
        assertThat(yml.getProperty("server.port")).isEqualTo(8083);
        assertThat(yml.getProperty("spring.application.name")).isEqualTo("tessera-stream");
        assertThat(yml.getProperty("management.endpoints.web.exposure.include"))
                .isEqualTo("health,info,prometheus,metrics");
    }
}
