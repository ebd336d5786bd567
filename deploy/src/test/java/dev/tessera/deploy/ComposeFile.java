package dev.tessera.deploy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * A docker-compose.yml as plain maps (anchors and {@code <<} merge keys resolved by SnakeYAML),
 * with the few accessors the checks need. Both compose spellings of environment, depends_on and
 * healthcheck are accepted.
 */
final class ComposeFile {
  final Path file;
  final Map<String, Object> root;

  ComposeFile(Path file) {
    this.file = file;
    this.root = map(new Yaml().load(ServiceProperties.read(file)));
  }

  Path dir() {
    return file.toAbsolutePath().getParent();
  }

  Map<String, Object> services() {
    return map(root.get("services"));
  }

  Map<String, Object> service(String name) {
    Object s = services().get(name);
    if (s == null) throw new IllegalArgumentException("no service " + name + " in " + file);
    return map(s);
  }

  /** {@code KEY: value} or {@code - KEY=value}; values as text (a bare KEY is an empty string). */
  Map<String, String> environment(String service) {
    Object env = service(service).get("environment");
    Map<String, String> out = new LinkedHashMap<>();
    if (env instanceof Map<?, ?> m) {
      m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
    } else if (env instanceof List<?> l) {
      for (Object item : l) {
        String s = String.valueOf(item);
        int eq = s.indexOf('=');
        out.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
      }
    }
    return out;
  }

  /** depends_on as service -> condition ({@code service_started} for the short list form). */
  Map<String, String> dependsOn(String service) {
    Object d = service(service).get("depends_on");
    Map<String, String> out = new LinkedHashMap<>();
    if (d instanceof List<?> l) {
      l.forEach(x -> out.put(String.valueOf(x), "service_started"));
    } else if (d instanceof Map<?, ?> m) {
      m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(map(v).getOrDefault("condition", "service_started"))));
    }
    return out;
  }

  Map<String, Object> build(String service) {
    Object b = service(service).get("build");
    if (b == null) return Map.of();
    if (b instanceof String context) return Map.of("context", context);
    return map(b);
  }

  /** The module a Tessera service image is built for (build arg SERVICE), or null for third-party images. */
  String moduleOf(String service) {
    Object args = build(service).get("args");
    if (args instanceof Map<?, ?> m && m.get("SERVICE") != null) return String.valueOf(m.get("SERVICE"));
    if (args instanceof List<?> l) {
      for (Object a : l) if (String.valueOf(a).startsWith("SERVICE=")) return String.valueOf(a).substring("SERVICE=".length());
    }
    return null;
  }

  /** The healthcheck's test as one string ("CMD", "x", "y" -> "x y"), or null. */
  String healthcheck(String service) {
    Object h = service(service).get("healthcheck");
    if (h == null) return null;
    Object test = map(h).get("test");
    if (test instanceof List<?> l) {
      return String.join(" ", l.stream().map(String::valueOf).filter(s -> !s.equals("CMD") && !s.equals("CMD-SHELL")).toList());
    }
    return test == null ? null : String.valueOf(test);
  }

  /** Container ports published by a service ("8083-8086:8083" -> 8083). */
  List<Integer> containerPorts(String service) {
    Object ports = service(service).get("ports");
    if (!(ports instanceof List<?> l)) return List.of();
    return l.stream().map(p -> {
      if (p instanceof Map<?, ?> m) return Integer.parseInt(String.valueOf(m.get("target")));
      String s = String.valueOf(p).replaceAll("/(tcp|udp)$", "");
      return Integer.parseInt(s.substring(s.lastIndexOf(':') + 1));
    }).toList();
  }

  /** Volume sources: named volumes and bind-mounted paths ("name:/path", "./dir:/path:ro"). */
  List<String> volumeSources(String service) {
    Object volumes = service(service).get("volumes");
    if (!(volumes instanceof List<?> l)) return List.of();
    return l.stream().map(v -> v instanceof Map<?, ?> m ? String.valueOf(m.get("source")) : String.valueOf(v).split(":")[0]).toList();
  }

  /** {@code ${VAR:-default}} -> {@code default}; other text as is. */
  static String withDefaults(String value) {
    return value.replaceAll("\\$\\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]*)}", "$1");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    if (o == null) return Map.of();
    if (!(o instanceof Map<?, ?>)) throw new IllegalArgumentException("expected a mapping, got " + o);
    return (Map<String, Object>) o;
  }
}
