package dev.tessera.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The repository's docker-compose.yml against the code it starts (Docker is not needed): the
 * services, their ports and health checks, the start order, the Dockerfile, the databases, and
 * above all that every environment variable given to a Tessera service is a property that service
 * reads (a misspelt one would be ignored silently at runtime).
 */
class ComposeFileTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Map<String, Integer> TESSERA = Map.of("registry-service", 8081, "batch-service", 8082, "stream-service", 8083,
      "fetcher-service", 8080);
  static final Set<String> INFRASTRUCTURE = Set.of("kafka", "valkey", "postgres", "prometheus", "grafana");
  /**
   * The images compose may pull, with their licence: open source only (Redis 7.4+ is not: RSALv2 /
   * SSPL, hence Valkey). A new image needs its licence checked and a line here.
   */
  static final Map<String, String> OPEN_SOURCE_IMAGES = Map.of(
      "apache/kafka", "Apache-2.0",
      "valkey/valkey", "BSD-3-Clause",
      "postgres", "PostgreSQL",
      "prom/prometheus", "Apache-2.0",
      "grafana/grafana-oss", "AGPL-3.0",
      "eclipse-temurin", "GPL-2.0 with Classpath Exception");
  /** Secrets: required in the environment or .env, never a default in the file. */
  static final Set<String> SECRETS = Set.of("POSTGRES_PASSWORD", "TESSERA_ADMIN_PASSWORD", "TESSERA_TOKEN", "GRAFANA_ADMIN_PASSWORD");

  static ComposeFile compose;

  @BeforeAll
  static void load() {
    compose = new ComposeFile(ROOT.resolve("docker-compose.yml"));
  }

  @Test
  void theExpectedServicesAreThere() {
    Set<String> expected = new TreeSet<>(INFRASTRUCTURE);
    expected.addAll(TESSERA.keySet());
    assertThat(compose.services().keySet()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(String.valueOf(compose.service("kafka").get("image"))).startsWith("apache/kafka:");
    assertThat(String.valueOf(compose.service("valkey").get("image"))).startsWith("valkey/valkey:");
    assertThat(String.valueOf(compose.service("postgres").get("image"))).startsWith("postgres:");
    TESSERA.keySet().forEach(s -> assertThat(compose.moduleOf(s)).as(s + " is built for its module").isEqualTo(s));
  }

  @Test
  void everyTesseraServicePublishesThePortItListensOn() {
    TESSERA.forEach((service, port) -> {
      Object configured = yaml(service).get("server") instanceof Map<?, ?> server ? server.get("port") : null;
      assertThat(configured).as(service + " server.port in application.yml").isEqualTo(port);
      assertThat(compose.containerPorts(service)).as(service).contains(port);
      assertThat(compose.environment(service)).as(service + " keeps its port").doesNotContainKey("SERVER_PORT");
    });
    assertThat(compose.containerPorts("kafka")).contains(9092);
    assertThat(compose.containerPorts("valkey")).contains(6379);
    assertThat(compose.containerPorts("postgres")).contains(5432);
  }

  @Test
  void everyServiceHasAHealthCheckAndTesseraServicesUseActuatorHealth() {
    compose.services().keySet().forEach(s -> assertThat(compose.healthcheck(s)).as(s).isNotBlank());
    TESSERA.forEach((service, port) -> assertThat(compose.healthcheck(service)).as(service)
        .startsWith("healthcheck " + port + " /actuator/health"));
    assertThat(compose.healthcheck("fetcher-service")).as("ready = registry topic read").endsWith("/actuator/health/readiness");
    assertThat(compose.healthcheck("kafka")).contains("kafka-broker-api-versions.sh");
    assertThat(compose.healthcheck("valkey")).contains("valkey-cli ping");
    assertThat(compose.healthcheck("postgres")).contains("pg_isready").contains("-h 127.0.0.1");
  }

  @Test
  void servicesStartOnlyAfterWhatTheyNeedIsHealthy() {
    Map<String, Set<String>> needs = Map.of(
        "registry-service", Set.of("postgres", "kafka"),
        "batch-service", Set.of("postgres", "kafka", "valkey"),
        "stream-service", Set.of("kafka", "valkey"),
        "fetcher-service", Set.of("kafka", "valkey", "registry-service"),
        "grafana", Set.of("prometheus"));
    needs.forEach((service, deps) -> assertThat(compose.dependsOn(service).keySet()).as(service).containsAll(deps));
    for (String service : compose.services().keySet()) {
      compose.dependsOn(service).forEach((dep, condition) -> {
        assertThat(compose.services()).as(service + " depends on " + dep).containsKey(dep);
        assertThat(condition).as(service + " -> " + dep).isEqualTo("service_healthy");
        assertThat(compose.healthcheck(dep)).as(dep + " is waited for, so it needs a health check").isNotBlank();
      });
    }
  }

  @Test
  void theDockerfileAndEverythingItCopiesExist() {
    for (String service : TESSERA.keySet()) {
      Map<String, Object> build = compose.build(service);
      Path context = compose.dir().resolve(String.valueOf(build.getOrDefault("context", "."))).normalize();
      Path dockerfile = context.resolve(String.valueOf(build.getOrDefault("dockerfile", "Dockerfile")));
      assertThat(dockerfile).as(service).isRegularFile();
      assertThat(context.resolve(compose.moduleOf(service)).resolve("pom.xml")).as("module of " + service).isRegularFile();
      String text = ServiceProperties.read(dockerfile);
      assertThat(text).contains("ARG SERVICE").contains("eclipse-temurin:25-jdk").contains("eclipse-temurin:25-jre")
          .contains("-pl registry-service,batch-service,stream-service,fetcher-service");
      Matcher copy = Pattern.compile("(?m)^COPY\\s+(?!--from)(\\S+)\\s").matcher(text);
      while (copy.find()) {
        if (!copy.group(1).equals(".")) assertThat(context.resolve(copy.group(1))).as("COPY " + copy.group(1)).exists();
      }
      assertThat(context.resolve("mvnw")).isRegularFile();
      assertThat(dockerfile.resolveSibling(dockerfile.getFileName() + ".dockerignore")).as("keeps target/ out of the context").isRegularFile();
    }
  }

  @Test
  void volumesAreNamedAndDeclaredAndBindMountsExist() {
    Set<String> declared = ComposeFile.map(compose.root.get("volumes")).keySet();
    Set<String> used = new TreeSet<>();
    for (String service : compose.services().keySet()) {
      for (String source : compose.volumeSources(service)) {
        if (source.startsWith(".") || source.startsWith("/")) {
          assertThat(compose.dir().resolve(source).normalize()).as(service + " mounts " + source).exists();
        } else {
          assertThat(declared).as(service + " uses volume " + source).contains(source);
          used.add(source);
        }
      }
    }
    assertThat(used).containsExactlyInAnyOrderElementsOf(declared).contains("kafka-data", "valkey-data", "postgres-data", "batch-data", "prometheus-data", "grafana-data");
    assertThat(compose.environment("kafka").get("KAFKA_LOG_DIRS")).as("Kafka writes into its volume").isEqualTo("/var/lib/kafka/data");
    assertThat(compose.service("kafka").get("volumes").toString()).contains("kafka-data:/var/lib/kafka/data");
    assertThat(compose.service("stream-service").get("container_name")).as("scalable: no fixed name").isNull();
  }

  @Test
  void everyDatabaseTheServicesUseIsCreatedByTheInitScript() {
    String init = ServiceProperties.read(ROOT.resolve("deploy/postgres/init/01-databases.sql"));
    Pattern url = Pattern.compile("jdbc:postgresql://([\\w-]+):(\\d+)/(\\w+)");
    int databases = 0;
    for (String service : TESSERA.keySet()) {
      for (Map.Entry<String, String> e : compose.environment(service).entrySet()) {
        Matcher m = url.matcher(e.getValue());
        if (!m.find()) continue;
        databases++;
        assertThat(m.group(1)).as(e.getKey()).isEqualTo("postgres");
        assertThat(m.group(2)).as(e.getKey()).isEqualTo("5432");
        assertThat(init).as(e.getKey()).containsPattern("(?i)CREATE DATABASE " + m.group(3) + ";");
      }
    }
    assertThat(databases).as("registry, job repository and warehouse").isEqualTo(3);
  }

  @Test
  void servicesReachEachOtherByServiceNameNeverLocalhost() {
    Map<String, String> kafka = compose.environment("kafka");
    String internal = Pattern.compile("INTERNAL://([\\w.-]+:\\d+)").matcher(kafka.get("KAFKA_ADVERTISED_LISTENERS")).results()
        .map(r -> r.group(1)).findFirst().orElseThrow();
    assertThat(internal).startsWith("kafka:");
    assertThat(kafka.get("KAFKA_LISTENERS")).contains("INTERNAL://:" + internal.split(":")[1]);
    assertThat(kafka.get("KAFKA_PROCESS_ROLES")).contains("broker").contains("controller");
    for (String service : TESSERA.keySet()) {
      Map<String, String> env = compose.environment(service);
      assertThat(env.get("SPRING_KAFKA_BOOTSTRAPSERVERS")).as(service).isEqualTo(internal);
      env.forEach((k, v) -> assertThat(v).as(service + " " + k).doesNotContain("localhost").doesNotContain("127.0.0.1"));
    }
    for (String service : List.of("batch-service", "stream-service", "fetcher-service")) {
      assertThat(compose.environment(service).get("SPRING_DATA_REDIS_HOST")).as(service).isEqualTo("valkey");
    }
    assertThat(compose.environment("fetcher-service").get("TESSERA_FETCHER_REGISTRY_URL")).isEqualTo("http://registry-service:8081");
    assertThat(compose.environment("registry-service").get("TESSERA_REGISTRY_FETCHERURL")).isEqualTo("http://fetcher-service:8080");
    // the consistency and Metrics pages: localhost inside the registry's container is the registry itself
    assertThat(compose.environment("registry-service").get("TESSERA_REGISTRY_BATCHURL")).isEqualTo("http://batch-service:8082");
    assertThat(compose.environment("registry-service").get("TESSERA_REGISTRY_STREAMURL")).isEqualTo("http://stream-service:8083");
  }

  @Test
  void secretsHaveNoDefaultsAndTheDatabasePasswordIsOneVariable() {
    Pattern reference = Pattern.compile("\\$\\{([A-Z_]+)(:?[-?])?([^}]*)}");
    Set<String> required = new TreeSet<>();
    for (String service : compose.services().keySet()) {
      compose.environment(service).forEach((k, v) -> {
        Matcher m = reference.matcher(v);
        while (m.find()) {
          if (!SECRETS.contains(m.group(1))) continue;
          assertThat(m.group(2)).as(service + " " + k + ": ${" + m.group(1) + ":?reason}, never a default").isEqualTo(":?");
          required.add(m.group(1));
        }
      });
    }
    assertThat(required).containsExactlyInAnyOrderElementsOf(SECRETS);
    String pg = compose.environment("postgres").get("POSTGRES_PASSWORD");
    for (String service : List.of("registry-service", "batch-service")) {
      compose.environment(service).forEach((k, v) -> {
        if (k.endsWith("_PASSWORD") && k.contains("DATASOURCE") || k.startsWith("TESSERA_BATCH_WAREHOUSE_PASSWORD")) {
          assertThat(v).as(service + " " + k).startsWith("${POSTGRES_PASSWORD:?");
        }
      });
    }
    String readme = ServiceProperties.read(ROOT.resolve("deploy/README.md"));
    SECRETS.forEach(secret -> assertThat(readme).as("deploy/README.md tells how to set " + secret).contains(secret));
    assertThat(pg).startsWith("${POSTGRES_PASSWORD:?");
  }

  @Test
  void everyImageIsOpenSourceAndPinned() {
    List<String> images = new ArrayList<>();
    for (String service : compose.services().keySet()) {
      if (compose.moduleOf(service) == null) images.add(String.valueOf(compose.service(service).get("image")));
    }
    Matcher from = Pattern.compile("(?m)^FROM\\s+(\\S+)").matcher(ServiceProperties.read(ROOT.resolve("deploy/docker/Dockerfile")));
    while (from.find()) images.add(from.group(1));
    for (String image : images) {
      int colon = image.lastIndexOf(':');
      assertThat(colon).as(image + " has a tag").isPositive();
      assertThat(image.substring(colon + 1)).as(image + " is pinned").isNotEqualTo("latest");
      assertThat(OPEN_SOURCE_IMAGES).as("licence of " + image).containsKey(image.substring(0, colon));
    }
  }

  @Test
  void everyServiceHasAMemoryLimitAndTesseraHeapsAreAShareOfIt() {
    for (String service : compose.services().keySet()) {
      Object limit = ComposeFile.map(ComposeFile.map(ComposeFile.map(compose.service(service).get("deploy")).get("resources")).get("limits"))
          .get("memory");
      assertThat(limit).as(service + " deploy.resources.limits.memory").isNotNull();
      assertThat(String.valueOf(limit)).as(service).matches("\\d+[mg]");
    }
    for (String service : TESSERA.keySet()) {
      Matcher pct = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(compose.environment(service).getOrDefault("JDK_JAVA_OPTIONS", ""));
      assertThat(pct.find()).as(service + " sizes its heap from the limit (JDK_JAVA_OPTIONS)").isTrue();
      assertThat(Integer.parseInt(pct.group(1))).as(service + ": room for what is not heap").isBetween(25, 75);
    }
    assertThat(ServiceProperties.read(ROOT.resolve("deploy/docker/Dockerfile")))
        .as("the image's default heap share can be overridden: in JDK_JAVA_OPTIONS, not on the java command line")
        .contains("ENV JDK_JAVA_OPTIONS=\"-XX:MaxRAMPercentage=").doesNotContainPattern("ENTRYPOINT.*MaxRAMPercentage");
  }

  @Test
  void everyPublishedPortIsBoundToLoopbackOnly() {
    for (String service : compose.services().keySet()) {
      if (!(compose.service(service).get("ports") instanceof List<?> ports)) continue;
      for (Object port : ports) {
        String hostIp = port instanceof Map<?, ?> m ? String.valueOf(m.get("host_ip")) : String.valueOf(port).split(":")[0];
        assertThat(hostIp).as(service + " publishes " + port).isEqualTo("127.0.0.1");
      }
    }
  }

  @Test
  void prometheusScrapesEveryTesseraServiceWhereItExportsMetrics() {
    Map<?, ?> prometheus = new Yaml().load(ServiceProperties.read(ROOT.resolve("deploy/prometheus/prometheus.yml")));
    Map<String, Integer> scraped = new LinkedHashMap<>();
    for (Object job : (List<?>) prometheus.get("scrape_configs")) {
      Map<?, ?> j = (Map<?, ?>) job;
      assertThat(j.get("metrics_path")).isEqualTo("/actuator/prometheus");
      for (Object sd : (List<?>) j.get("dns_sd_configs")) {
        Map<?, ?> d = (Map<?, ?>) sd;
        for (Object name : (List<?>) d.get("names")) scraped.put(String.valueOf(name), (Integer) d.get("port"));
      }
    }
    assertThat(scraped).isEqualTo(TESSERA);
    TESSERA.keySet().forEach(service -> {
      Map<?, ?> web = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) yaml(service).get("management")).get("endpoints")).get("web");
      assertThat(String.valueOf(((Map<?, ?>) web.get("exposure")).get("include"))).as(service + " exposes the endpoint").contains("prometheus");
    });
    assertThat(compose.volumeSources("prometheus")).contains("./deploy/prometheus/prometheus.yml");
  }

  @Test
  void grafanaIsProvisionedWithTheDashboardAndItsDataSource() {
    Map<?, ?> datasources = new Yaml().load(ServiceProperties.read(ROOT.resolve("deploy/grafana/provisioning/datasources/prometheus.yml")));
    Map<?, ?> source = (Map<?, ?>) ((List<?>) datasources.get("datasources")).get(0);
    assertThat(source.get("url")).isEqualTo("http://prometheus:9090");
    String dashboard = ServiceProperties.read(ROOT.resolve("deploy/grafana/dashboards/tessera.json"));
    assertThat(dashboard).as("the panels use the provisioned data source").contains("\"uid\": \"" + source.get("uid") + "\"");
    Map<?, ?> providers = new Yaml().load(ServiceProperties.read(ROOT.resolve("deploy/grafana/provisioning/dashboards/tessera.yml")));
    Object path = ((Map<?, ?>) ((Map<?, ?>) ((List<?>) providers.get("providers")).get(0)).get("options")).get("path");
    assertThat(compose.service("grafana").get("volumes").toString()).contains("./deploy/grafana/dashboards:" + path)
        .contains("./deploy/grafana/provisioning:/etc/grafana/provisioning");
  }

  /** The important one: a variable Spring does not bind would be ignored without a word. */
  @Test
  void everyEnvironmentVariableOfATesseraServiceIsAPropertyItReads() {
    Map<String, String> unbound = new LinkedHashMap<>();
    List<String> bound = new ArrayList<>();
    for (String service : TESSERA.keySet()) {
      ServiceProperties props = ServiceProperties.of(ROOT.resolve(compose.moduleOf(service)));
      assertThat(props.missingBootModules()).as("Boot modules of " + service + " missing from deploy/pom.xml").isEmpty();
      for (String env : compose.environment(service).keySet()) {
        EnvBinding.property(env, props).ifPresentOrElse(p -> bound.add(service + " " + env + " -> " + p),
            () -> unbound.put(service + " " + env, "no property of " + service + " matches"));
      }
    }
    assertThat(unbound).as("bound: " + bound).isEmpty();
    assertThat(bound).contains("batch-service TESSERA_BATCH_WAREHOUSE_URL -> tessera.batch.warehouse.url",
        "stream-service TESSERA_STREAM_STATEDIR -> tessera.stream.state-dir",
        "registry-service TESSERA_REGISTRY_SECURITY_USERS_0_NAME -> tessera.registry.security.users[*].name",
        "fetcher-service TESSERA_FETCHER_REGISTRY_URL -> tessera.fetcher.registry.url",
        "batch-service SPRING_DATASOURCE_URL -> spring.datasource.url");
  }

  private static Map<?, ?> yaml(String module) {
    return new Yaml().load(ServiceProperties.read(ROOT.resolve(module).resolve("src/main/resources/application.yml")));
  }

  static boolean exists(Path p) {
    return Files.exists(p);
  }
}
