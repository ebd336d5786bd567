package dev.tessera.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Which property an environment variable sets, decided by Spring Boot's own relaxed binding (the
 * environment is wrapped exactly as at startup, as the {@code systemEnvironment} property source),
 * so {@code TESSERA_BATCH_CHUNKENTITIES} finds {@code tessera.batch.chunk-entities} and a
 * misspelt or wrongly split name finds nothing.
 */
final class EnvBinding {
  /** Read by the JVM or the container, not by Spring. */
  static final List<String> NOT_SPRING = List.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "TZ");

  private static final Pattern INDEX = Pattern.compile("(?<=_)\\d+(?=_|$)");

  private EnvBinding() {}

  /** The property {@code envName} binds to among those {@code service} reads, if any. */
  static Optional<String> property(String envName, ServiceProperties service) {
    if (NOT_SPRING.contains(envName)) return Optional.of("(JVM: " + envName + ")");
    ConfigurationPropertySource source = ConfigurationPropertySource.from(new SystemEnvironmentPropertySource(
        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(envName, "value")));
    List<String> indexes = new ArrayList<>();
    Matcher m = INDEX.matcher(envName);
    while (m.find()) indexes.add(m.group());
    for (String name : service.names) {
      for (String candidate : expand(name, indexes)) {
        if (isValid(candidate) && source.getConfigurationProperty(ConfigurationPropertyName.of(candidate)) != null) return Optional.of(name);
        // a list-valued property set element by element: NAME_0, NAME_1
        for (String i : indexes) {
          String element = candidate + "[" + i + "]";
          if (isValid(element) && source.getConfigurationProperty(ConfigurationPropertyName.of(element)) != null) return Optional.of(name);
        }
      }
    }
    for (String prefix : service.mapPrefixes) {
      for (String candidate : expand(prefix, indexes)) {
        if (isValid(candidate)
            && source.containsDescendantOf(ConfigurationPropertyName.of(candidate)) == ConfigurationPropertyState.PRESENT) {
          return Optional.of(prefix + ".*");
        }
      }
    }
    return Optional.empty();
  }

  /** {@code a.b[*].c} with each index the variable names ({@code A_B_0_C} -> {@code a.b[0].c}). */
  private static List<String> expand(String name, List<String> indexes) {
    if (!name.contains("[*]")) return List.of(name);
    List<String> out = new ArrayList<>();
    for (String i : indexes) {
      String once = name.replaceFirst("\\[\\*]", "[" + i + "]");
      out.addAll(expand(once, indexes));
    }
    return out;
  }

  private static boolean isValid(String name) {
    return ConfigurationPropertyName.isValid(name);
  }
}
