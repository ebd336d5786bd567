package dev.tessera.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The checker itself: it must refuse what Spring would ignore, and accept what Spring binds. */
class EnvBindingTest {
  static ServiceProperties batch;
  static ServiceProperties registry;
  static ServiceProperties stream;

  @BeforeAll
  static void read() {
    batch = ServiceProperties.of(ComposeFileTest.ROOT.resolve("batch-service"));
    registry = ServiceProperties.of(ComposeFileTest.ROOT.resolve("registry-service"));
    stream = ServiceProperties.of(ComposeFileTest.ROOT.resolve("stream-service"));
  }

  @Test
  void relaxedNamesBind() {
    assertThat(EnvBinding.property("TESSERA_BATCH_CHUNKENTITIES", batch)).hasValue("tessera.batch.chunk-entities");
    assertThat(EnvBinding.property("SPRING_DATASOURCE_URL", batch)).hasValue("spring.datasource.url");
    assertThat(EnvBinding.property("SPRING_KAFKA_BOOTSTRAPSERVERS", batch)).hasValue("spring.kafka.bootstrap-servers");
    assertThat(EnvBinding.property("SPRING_KAFKA_BOOTSTRAPSERVERS_0", batch)).as("a list element").isPresent();
    assertThat(EnvBinding.property("TESSERA_REGISTRY_SECURITY_APITOKENS_1_TOKEN", registry))
        .hasValue("tessera.registry.security.api-tokens[*].token");
    assertThat(EnvBinding.property("TESSERA_STREAM_STREAMSPROPERTIES_NUM_STANDBY_REPLICAS", stream))
        .hasValue("tessera.stream.streams-properties.*");
    assertThat(EnvBinding.property("MANAGEMENT_ENDPOINT_HEALTH_SHOWCOMPONENTS", batch)).isPresent();
    assertThat(EnvBinding.property("JDK_JAVA_OPTIONS", batch)).isPresent();
  }

  @Test
  void theLegacyFormWithUnderscoresForDashesBindsToo() {
    // Spring maps tessera.batch.chunk-entities to TESSERA_BATCH_CHUNKENTITIES and, for old habits,
    // TESSERA_BATCH_CHUNK_ENTITIES: the checker asks Spring, so it accepts both
    assertThat(EnvBinding.property("TESSERA_BATCH_CHUNK_ENTITIES", batch)).hasValue("tessera.batch.chunk-entities");
    ServiceProperties fetcher = ServiceProperties.of(ComposeFileTest.ROOT.resolve("fetcher-service"));
    assertThat(EnvBinding.property("TESSERA_FETCHER_MAX_KEYS_PER_REQUEST", fetcher)).hasValue("tessera.fetcher.max-keys-per-request");
  }

  @Test
  void misspeltNamesDoNotBind() {
    assertThat(EnvBinding.property("TESSERA_BATCH_CHUNKENTITY", batch)).isEmpty();
    assertThat(EnvBinding.property("SPRING_DATASOURCE_URLL", batch)).isEmpty();
    assertThat(EnvBinding.property("TESSERA_BATCH_WAREHOUSE_URI", batch)).isEmpty();
    assertThat(EnvBinding.property("SPRING_KAFKA_BOOTSTRAP", batch)).isEmpty();
    assertThat(EnvBinding.property("TESSERA_REGISTRY_SECURITY_USER_0_NAME", registry)).as("users, not user").isEmpty();
    assertThat(EnvBinding.property("TESSERA_BATCHES_PARTITIONS", batch)).isEmpty();
  }

  @Test
  void aPropertyOfAnotherServiceDoesNotBind() {
    assertThat(EnvBinding.property("TESSERA_STREAM_STATEDIR", batch)).isEmpty();
    assertThat(EnvBinding.property("SPRING_DATASOURCE_URL", stream)).as("stream-service has no JDBC").isEmpty();
    assertThat(EnvBinding.property("SPRING_FLYWAY_ENABLED", batch)).as("only the registry uses Flyway").isEmpty();
    assertThat(EnvBinding.property("SPRING_FLYWAY_ENABLED", registry)).isPresent();
  }

  /** Stand-ins for a service's properties records: one declared apart, one a list element. */
  public record Demo(int maxKeys, Inner inner, List<User> users) {}

  public record Inner(String fooBar, Map<String, String> extra) {}

  public record User(String name, List<String> roles) {}

  @Test
  void recordTypesTheProcessorLeavesUndescribedAreExpandedFromTheirComponents() {
    ServiceProperties p = ServiceProperties.empty("demo");
    p.addMetadata(tools.jackson.databind.json.JsonMapper.builder().build().readTree("""
        {"properties": [
          {"name": "demo.max-keys", "type": "java.lang.Integer"},
          {"name": "demo.inner", "type": "dev.tessera.deploy.EnvBindingTest$Inner"},
          {"name": "demo.users", "type": "java.util.List<dev.tessera.deploy.EnvBindingTest.User>"},
          {"name": "demo.labels", "type": "java.util.Map<java.lang.String,java.lang.String>"}]}
        """), getClass().getClassLoader());
    assertThat(p.names).containsExactlyInAnyOrder("demo.max-keys", "demo.inner.foo-bar", "demo.users[*].name", "demo.users[*].roles");
    assertThat(p.mapPrefixes).containsExactlyInAnyOrder("demo.inner.extra", "demo.labels");
    assertThat(EnvBinding.property("DEMO_USERS_0_NAME", p)).contains("demo.users[*].name");
    assertThat(EnvBinding.property("DEMO_USERS_0_NAM", p)).isEmpty();
  }

  @Test
  void aComposeFileWithAMisspeltVariableFailsTheCheck() throws Exception {
    Path file = java.nio.file.Files.createTempFile("compose", ".yml");
    try {
      java.nio.file.Files.writeString(file, """
          services:
            batch-service:
              build: {context: ., args: {SERVICE: batch-service}}
              environment:
                TESSERA_BATCH_CHUNK_ENTITIE: "100"
                SPRING_DATASOURCE_URL: jdbc:postgresql://postgres:5432/tessera_jobs
          """);
      ComposeFile c = new ComposeFile(file);
      assertThat(c.environment("batch-service").keySet().stream().filter(e -> EnvBinding.property(e, batch).isEmpty()).toList())
          .containsExactly("TESSERA_BATCH_CHUNK_ENTITIE");
    } finally {
      java.nio.file.Files.deleteIfExists(file);
    }
  }
}
