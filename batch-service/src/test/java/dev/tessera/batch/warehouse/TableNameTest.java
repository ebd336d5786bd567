package dev.tessera.batch.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableNameTest {

  @Test
  void parsesNamesAndSchemaQualifiedNames() {
    assertThat(TableName.parse("purchases")).isEqualTo(new TableName(null, "purchases"));
    assertThat(TableName.parse(" analytics.purchases ")).isEqualTo(new TableName("analytics", "purchases"));
    assertThat(new DuckDbDialect().table(TableName.parse("analytics.purchases"))).isEqualTo("\"analytics\".\"purchases\"");
  }

  @Test
  void refusesAnythingElseWithTheRule() {
    for (String bad : new String[] {"", "a.b.c", "1abc", "drop table x", "x;--", "a.", "\"quoted\""}) {
      assertThatThrownBy(() -> TableName.parse(bad)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> TableName.parse("x;--")).hasMessageContaining("use name or schema.name");
  }

  @Test
  void identifiersAreQuotedSafely() {
    assertThat(new PostgresDialect().quote("we\"ird")).isEqualTo("\"we\"\"ird\"");
  }
}
