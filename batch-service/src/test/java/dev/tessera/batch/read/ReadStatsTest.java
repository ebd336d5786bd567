package dev.tessera.batch.read;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReadStatsTest {

  @Test
  void reasonsAreCountedWithoutTheOffendingValue() {
    ReadStats s = new ReadStats(2);
    s.countRejected("column 'qty': expected LONG, got a number (2.5)", "{qty=2.5}");
    s.countRejected("column 'qty': expected LONG, got a number (3.5)", "{qty=3.5}");
    s.countRejected("column 'name': expected STRING, got an object ({a=1})", "{name={a=1}}");
    s.countRejected("key 'user_id' is null", "{user_id=null}");
    assertThat(s.rejected()).isEqualTo(4);
    assertThat(s.reasons()).containsEntry("column 'qty': expected LONG, got a number", 2L)
        .containsEntry("column 'name': expected STRING, got an object", 1L)
        .containsEntry("key 'user_id' is null", 1L);
    assertThat(s.samples()).hasSize(2).first().extracting(ReadStats.Sample::reason).isEqualTo("column 'qty': expected LONG, got a number (2.5)");
  }

  @Test
  void distinctReasonsAreCappedAndTheRestCountedTogether() {
    ReadStats s = new ReadStats(0);
    for (int i = 0; i < ReadStats.MAX_REASONS + 5; i++) s.countRejected("where 'x' failed: error " + i, "{}");
    assertThat(s.reasons()).hasSize(ReadStats.MAX_REASONS + 1).containsEntry(ReadStats.OTHER, 5L);
  }

  @Test
  void addsAndSurvivesJson() {
    ReadStats a = new ReadStats(5);
    a.countRead();
    a.countRead();
    a.countAccepted();
    a.countFiltered();
    ReadStats b = new ReadStats(5);
    b.countRead();
    b.countRejected("no event time: timeColumn 'ts' is null", "{ts=null}");
    b.countOutOfRange();
    a.add(b);
    ReadStats back = ReadStats.fromJson(a.toJson(), 5);
    assertThat(back.read()).isEqualTo(3);
    assertThat(back.accepted()).isEqualTo(1);
    assertThat(back.filtered()).isEqualTo(1);
    assertThat(back.rejected()).isEqualTo(1);
    assertThat(back.outOfRange()).isEqualTo(1);
    assertThat(back.reasons()).containsExactlyEntriesOf(a.reasons());
    assertThat(back.samples()).containsExactlyElementsOf(a.samples());
  }
}
