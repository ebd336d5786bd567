package dev.tessera.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The configuration properties one Tessera service really reads, gathered from four places:
 * <ol>
 *   <li>the keys of its {@code src/main/resources/application.yml};
 *   <li>its generated {@code target/classes/META-INF/spring-configuration-metadata.json}, if it
 *       uses the configuration processor;
 *   <li>the Spring Boot modules it depends on (from the starters in its pom.xml, see
 *       {@link #STARTER_MODULES}): their {@code META-INF/spring-configuration-metadata.json} on this
 *       test's classpath;
 *   <li>its {@code @ConfigurationProperties} records, read from the source ({@link RecordProperties}).
 * </ol>
 * Names are kept as written ({@code tessera.batch.chunk-entities}); {@code [*]} stands for a list
 * index. Map-valued properties are {@link #mapPrefixes}: anything below them is read.
 */
final class ServiceProperties {
  /** Boot 4 modules whose properties a starter brings (spring-boot and -autoconfigure always). */
  static final Map<String, List<String>> STARTER_MODULES = Map.ofEntries(
      Map.entry("actuator", List.of("spring-boot-actuator-autoconfigure", "spring-boot-health", "spring-boot-micrometer-metrics")),
      Map.entry("webmvc", List.of("spring-boot-webmvc", "spring-boot-servlet", "spring-boot-web-server", "spring-boot-tomcat",
          "spring-boot-http-converter", "spring-boot-jackson")),
      Map.entry("jdbc", List.of("spring-boot-jdbc", "spring-boot-sql")),
      Map.entry("flyway", List.of("spring-boot-flyway", "spring-boot-jdbc", "spring-boot-sql")),
      Map.entry("batch-jdbc", List.of("spring-boot-batch", "spring-boot-batch-jdbc", "spring-boot-jdbc", "spring-boot-sql")),
      Map.entry("kafka", List.of("spring-boot-kafka")),
      Map.entry("data-redis", List.of("spring-boot-data-redis", "spring-boot-data-commons")),
      Map.entry("security", List.of("spring-boot-security")),
      Map.entry("thymeleaf", List.of("spring-boot-thymeleaf")));

  private static final Pattern STARTER = Pattern.compile("<artifactId>spring-boot-starter-([a-z-]+)</artifactId>");
  private static final Pattern JAR = Pattern.compile("/(spring-boot(?:-[a-z]+)*)-\\d[^/]*\\.jar!");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  final String module;
  final Set<String> names = new TreeSet<>();
  final Set<String> mapPrefixes = new TreeSet<>();
  final List<String> bootModules = new ArrayList<>();

  private ServiceProperties(String module) {
    this.module = module;
  }

  /** The properties of the module in {@code moduleDir} (e.g. {@code ../batch-service}). */
  static ServiceProperties of(Path moduleDir) {
    ServiceProperties p = new ServiceProperties(moduleDir.getFileName().toString());
    p.addApplicationYaml(moduleDir.resolve("src/main/resources/application.yml"));
    p.addMetadata(moduleDir.resolve("target/classes/META-INF/spring-configuration-metadata.json"));
    p.addBootModules(read(moduleDir.resolve("pom.xml")));
    RecordProperties.scan(moduleDir.resolve("src/main/java"), p.names, p.mapPrefixes);
    return p;
  }

  /** Every property path of a YAML document: nested keys joined with '.', list items as [*]. */
  static void flatten(String prefix, Object value, Set<String> out) {
    if (value instanceof Map<?, ?> map) {
      if (map.isEmpty() && !prefix.isEmpty()) out.add(prefix);
      map.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, out));
    } else if (value instanceof List<?> list) {
      out.add(prefix);
      for (Object item : list) if (item instanceof Map<?, ?>) flatten(prefix + "[*]", item, out);
    } else if (!prefix.isEmpty()) {
      out.add(prefix);
    }
  }

  private void addApplicationYaml(Path file) {
    if (!Files.isRegularFile(file)) return;
    for (Object doc : new Yaml().loadAll(read(file))) flatten("", doc, names);
  }

  private void addMetadata(Path file) {
    if (Files.isRegularFile(file)) addMetadata(JSON.readTree(read(file)));
  }

  private void addMetadata(JsonNode metadata) {
    for (JsonNode property : metadata.path("properties")) {
      String name = property.path("name").asString("");
      if (name.isEmpty()) continue;
      String type = property.path("type").asString("");
      if (type.startsWith("java.util.Map") || type.startsWith("java.util.Properties")) {
        mapPrefixes.add(name);
      } else {
        names.add(name);
      }
    }
  }

  private void addBootModules(String pom) {
    Set<String> wanted = new TreeSet<>(List.of("spring-boot", "spring-boot-autoconfigure"));
    Matcher m = STARTER.matcher(pom);
    while (m.find()) wanted.addAll(STARTER_MODULES.getOrDefault(m.group(1), List.of()));
    bootModules.addAll(wanted);
    try {
      Enumeration<URL> urls = ServiceProperties.class.getClassLoader().getResources("META-INF/spring-configuration-metadata.json");
      for (URL url : Collections.list(urls)) {
        Matcher jar = JAR.matcher(url.toString());
        if (!jar.find() || !wanted.contains(jar.group(1))) continue;
        try (InputStream in = url.openStream()) {
          addMetadata(JSON.readTree(in));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Boot modules whose metadata this service needs but the test classpath lacks (add them to deploy/pom.xml). */
  List<String> missingBootModules() {
    List<String> found = new ArrayList<>();
    try {
      for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/spring-configuration-metadata.json"))) {
        Matcher jar = JAR.matcher(url.toString());
        if (jar.find()) found.add(jar.group(1));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bootModules.stream().filter(m -> !found.contains(m)).toList();
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  static Stream<Path> javaFiles(Path dir) {
    if (!Files.isDirectory(dir)) return Stream.empty();
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(f -> f.toString().endsWith(".java")).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
