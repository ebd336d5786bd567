package dev.tessera.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.net.URLClassLoader;
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
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The configuration properties one Tessera service really reads, gathered from three places:
 * <ol>
 *   <li>the keys of its {@code src/main/resources/application.yml};
 *   <li>its {@code target/classes/META-INF/spring-configuration-metadata.json}, which Spring Boot's
 *       configuration processor writes for its {@code @ConfigurationProperties} records when the
 *       module compiles (root pom.xml); a property whose type is a Tessera record, or a list of them,
 *       which the processor leaves undescribed, is expanded from the compiled record's components
 *       ({@link #addComponents});
 *   <li>the Spring Boot modules it depends on (from the starters in its pom.xml, see
 *       {@link #STARTER_MODULES}): their {@code META-INF/spring-configuration-metadata.json} on this
 *       test's classpath.
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
  private static final Set<String> LISTS = Set.of("java.util.List", "java.util.Set", "java.util.Collection", "java.util.SortedSet");

  final String module;
  final Set<String> names = new TreeSet<>();
  final Set<String> mapPrefixes = new TreeSet<>();
  final List<String> bootModules = new ArrayList<>();

  private ServiceProperties(String module) {
    this.module = module;
  }

  /** No properties yet: for {@link #addMetadata} by hand (tests). */
  static ServiceProperties empty(String module) {
    return new ServiceProperties(module);
  }

  /** The properties of the module in {@code moduleDir} (e.g. {@code ../batch-service}). */
  static ServiceProperties of(Path moduleDir) {
    ServiceProperties p = new ServiceProperties(moduleDir.getFileName().toString());
    p.addApplicationYaml(moduleDir.resolve("src/main/resources/application.yml"));
    p.addModuleMetadata(moduleDir);
    String pom = read(moduleDir.resolve("pom.xml"));
    p.addBootModules(pom);
    // platform-support's properties (tessera.security.*) are read by every service that depends on it
    if (pom.contains("<artifactId>platform-support</artifactId>")) p.addModuleMetadata(moduleDir.resolveSibling("platform-support"));
    return p;
  }

  private void addModuleMetadata(Path moduleDir) {
    Path classes = moduleDir.resolve("target/classes");
    Path metadata = classes.resolve("META-INF/spring-configuration-metadata.json");
    if (!Files.isRegularFile(metadata)) {
      throw new IllegalStateException(metadata + " is missing: compile " + moduleDir.getFileName() + " first (./mvnw -pl "
          + moduleDir.getFileName() + " -am -DskipTests package; the full build compiles it before deploy)");
    }
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, ServiceProperties.class.getClassLoader())) {
      addMetadata(JSON.readTree(read(metadata)), loader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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

  /** Metadata's properties; with {@code tesseraClasses}, Tessera record types expanded from their classes. */
  void addMetadata(JsonNode metadata, ClassLoader tesseraClasses) {
    for (JsonNode property : metadata.path("properties")) {
      String name = property.path("name").asString("");
      if (name.isEmpty()) continue;
      String type = property.path("type").asString("");
      if (type.startsWith("java.util.Map") || type.startsWith("java.util.Properties")) {
        mapPrefixes.add(name);
      } else if (tesseraClasses == null || !addComponents(name, type, tesseraClasses, 0)) {
        names.add(name);
      }
    }
  }

  /**
   * The processor describes a nested record of the properties record itself, but not a record type
   * declared elsewhere, nor the elements of a {@code List<Record>} ({@code users[0].name}): those are
   * read from the compiled record's components, as Spring binds them. False when {@code type} is none
   * of these (a plain value).
   */
  boolean addComponents(String name, String type, ClassLoader loader, int depth) {
    if (depth > 8) return false;
    String raw = type.contains("<") ? type.substring(0, type.indexOf('<')) : type;
    if (LISTS.contains(raw)) {
      String element = type.substring(type.indexOf('<') + 1, type.lastIndexOf('>')).trim();
      return element.startsWith("dev.tessera.") && addComponents(name + "[*]", element, loader, depth + 1);
    }
    if (!raw.startsWith("dev.tessera.")) return false;
    Class<?> record = load(raw, loader);
    if (record == null || !record.isRecord()) return false;
    for (RecordComponent c : record.getRecordComponents()) {
      String component = name + "." + kebab(c.getName());
      String componentType = c.getGenericType().getTypeName();
      if (componentType.startsWith("java.util.Map") || componentType.startsWith("java.util.Properties")) {
        mapPrefixes.add(component);
      } else if (!addComponents(component, componentType.replace('$', '.'), loader, depth + 1)) {
        names.add(component);
      }
    }
    return true;
  }

  /** {@code a.b.Outer.Inner} or {@code a.b.Outer$Inner}: the class, or null. */
  private static Class<?> load(String name, ClassLoader loader) {
    String candidate = name.replace('$', '.');
    while (true) {
      try {
        return Class.forName(candidate, false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        int dot = candidate.lastIndexOf('.');
        if (dot < 0 || candidate.indexOf('.') == dot) return null;
        candidate = candidate.substring(0, dot) + "$" + candidate.substring(dot + 1);
      }
    }
  }

  /** {@code chunkEntities} -> {@code chunk-entities}. */
  static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
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
          addMetadata(JSON.readTree(in), null);
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

}
