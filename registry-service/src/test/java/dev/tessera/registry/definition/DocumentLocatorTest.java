package dev.tessera.registry.definition;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** JSON paths of common-agg problems are found in the text the user wrote. */
class DocumentLocatorTest {

  private static final String YAML = """
      name: x
      sources:
        - events:
            schema: {user_id: STRING, "odd col": LONG}
            query:
              wheres:
                - a > 1
                - b < 2
      aggregations:
        - inputColumn: amount
          windows: [1h, 2h]
      """;

  @Test
  void findsNestedFieldsListItemsAndFlowCollections() {
    DocumentLocator l = DocumentLocator.of(YAML, DocumentFormat.YAML);
    assertThat(l.exact("$.name")).isEqualTo(new DocumentLocator.Position(1, 1));
    assertThat(l.exact("$.sources[0].events.query.wheres[1]").line()).isEqualTo(8);
    assertThat(l.exact("$.sources[0].events.schema.user_id").line()).isEqualTo(4);
    assertThat(l.exact("$.sources[0].events.schema['odd col']").line()).isEqualTo(4);
    assertThat(l.exact("$.aggregations[0].windows[1]").line()).isEqualTo(11);
    assertThat(l.exact("$.aggregations[0].inputColumn").line()).isEqualTo(10);
  }

  @Test
  void aMissingPathIsPlacedAtItsClosestWrittenAncestorButNeverAtTheRoot() {
    DocumentLocator l = DocumentLocator.of(YAML, DocumentFormat.YAML);
    assertThat(l.exact("$.aggregations[0].operation")).isNull();
    assertThat(l.nearest("$.aggregations[0].operation").line()).isEqualTo(10);
    assertThat(l.nearest("$.keys")).isNull();
  }

  @Test
  void jsonIsLocatedTheSameWay() {
    String json = "{\n  \"name\": \"x\",\n  \"keys\": [\n    \"a\",\n    \"b\"\n  ]\n}";
    DocumentLocator l = DocumentLocator.of(json, DocumentFormat.JSON);
    assertThat(l.exact("$.keys[1]").line()).isEqualTo(5);
    assertThat(l.exact("$.name").line()).isEqualTo(2);
  }

  @Test
  void aBrokenDocumentKeepsWhatWasFoundBeforeTheBreak() {
    DocumentLocator l = DocumentLocator.of("name: x\nkeys: [a\n", DocumentFormat.YAML);
    assertThat(l.exact("$.name").line()).isEqualTo(1);
  }

  @Test
  void parentsOfPaths() {
    assertThat(DocumentLocator.parent("$.a.b[2]")).isEqualTo("$.a.b");
    assertThat(DocumentLocator.parent("$.a.b")).isEqualTo("$.a");
    assertThat(DocumentLocator.parent("$.a['x [y]']")).isEqualTo("$.a");
    assertThat(DocumentLocator.parent("$.a")).isEqualTo("$");
    assertThat(DocumentLocator.parent("$")).isNull();
  }
}
