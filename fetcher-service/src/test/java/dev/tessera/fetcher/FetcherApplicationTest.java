package dev.tessera.fetcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

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
        // With Redis unreachable its health contributor is rightly DOWN; the rest must be UP.
        "management.health.redis.enabled=false",
        // Likewise the registry follower cannot catch up without Kafka (OUT_OF_SERVICE, by design);
        // the readiness group names it, so it leaves that group too.
        "management.health.registry.enabled=false",
        "management.endpoint.health.group.readiness.include=readinessState"})
@AutoConfigureRestTestClient
@Import(FetcherApplicationTest.ThreadProbe.class)
class FetcherApplicationTest {

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
                .jsonPath("$.info").exists()
                // the POST reads and writes its JSON itself (no message converter to infer from): the document still says what
                .jsonPath("$.paths['/v1/features/groupby/{name}'].post.requestBody.content['application/json'].schema.type").isEqualTo("array")
                .jsonPath("$.paths['/v1/features/groupby/{name}'].post.responses['200'].content['application/json'].schema.$ref")
                .value(String.class, ref -> assertThat(ref).endsWith("/FetchResponse"))
                .jsonPath("$.components.schemas.FetchResult.properties.features").exists()
                // and its parameters, read from the request rather than resolved as annotated arguments
                .jsonPath("$.paths['/v1/features/groupby/{name}'].post.parameters[*].name")
                .value(List.class, names -> assertThat(names).containsExactlyInAnyOrder("name", "atMillis", "X-Request-Id"));
    }

    @Test
    void requestsAreServedOnVirtualThreads() {
        http.get().uri("/test/thread").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).isEqualTo("virtual");
    }

    @Test
    void defaultsMatchTheDesign() throws IOException {
        PropertySource<?> yml = new YamlPropertySourceLoader()
                .load("application.yml", new ClassPathResource("application.yml")).getFirst();
        assertThat(yml.getProperty("server.port")).isEqualTo(8080);
        assertThat(yml.getProperty("spring.application.name")).isEqualTo("tessera-fetcher");
        assertThat(yml.getProperty("management.endpoints.web.exposure.include"))
                .isEqualTo("health,info,prometheus,metrics");
        assertThat(yml.getProperty("spring.threads.virtual.enabled")).isEqualTo(true);
    }

    @RestController
    static class ThreadProbe {

        @GetMapping("/test/thread")
        String thread() {
            return Thread.currentThread().isVirtual() ? "virtual" : "platform";
        }
    }
}
