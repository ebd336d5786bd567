package dev.tessera.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The definition files named on a command line: files as given, folders searched for *.yaml, *.yml and *.json. */
final class DefinitionFiles {
  private DefinitionFiles() {}

  static List<Path> expand(List<Path> paths) {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          walk.filter(Files::isRegularFile).filter(DefinitionFiles::isDefinition).sorted().forEach(out::add);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      } else if (Files.isRegularFile(p)) {
        out.add(p);
      } else {
        throw new IllegalArgumentException("no such file or folder: " + p);
      }
    }
    if (out.isEmpty()) throw new IllegalArgumentException("no definition files (*.yaml, *.yml, *.json) in " + paths);
    return out;
  }

  static boolean isDefinition(Path p) {
    String n = p.getFileName().toString().toLowerCase();
    return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
  }

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  static String contentType(Path p) {
    return p.getFileName().toString().toLowerCase().endsWith(".json") ? "application/json" : "application/yaml";
  }
}
