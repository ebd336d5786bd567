package dev.tessera.agg.definition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.join.JoinParseResult;
import dev.tessera.agg.join.JoinReader;
import dev.tessera.agg.join.JoinWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The golden definitions shared with the Python package (golden/definitions/README.md): each YAML
 * document, read and written back by common-agg, is exactly its canonical JSON file, the file the
 * Python definitions must serialize to. Run with {@code -Dgolden.update=true} to rewrite the JSON
 * files after an intended change of the document format (then the Python tests show what follows).
 */
class GoldenDefinitionsTest {
  static final Path DIR = Path.of("src", "test", "resources", "golden", "definitions");
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  static List<Path> documents() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  @ParameterizedTest
  @MethodSource("documents")
  void yamlDocumentWritesItsCanonicalJson(Path yaml) throws IOException {
    String text = Files.readString(yaml);
    String canonical = canonicalJson(text) + "\n";
    Path golden = DIR.resolve(yaml.getFileName().toString().replace(".yaml", ".json"));
    if (Boolean.getBoolean("golden.update")) Files.writeString(golden, canonical);
    assertThat(canonical).isEqualTo(Files.readString(golden));
  }

  @ParameterizedTest
  @MethodSource("documents")
  void canonicalJsonReadsBackToItself(Path yaml) throws IOException {
    String golden = Files.readString(DIR.resolve(yaml.getFileName().toString().replace(".yaml", ".json")));
    assertThat(canonicalJson(golden) + "\n").isEqualTo(golden);
  }

  /** A Join has {@code parts} or {@code left}, as the CLI and the batch service tell them apart. */
  private static String canonicalJson(String document) {
    JsonNode root = YAML.readTree(document);
    if (root.has("parts") || root.has("left")) {
      JoinParseResult join = JoinReader.read(document);
      assertThat(join.problems()).isEmpty();
      return JoinWriter.toJson(join.join());
    }
    ParseResult groupBy = GroupByReader.read(document);
    assertThat(groupBy.problems()).isEmpty();
    return GroupByWriter.toJson(groupBy.groupBy());
  }
}
