package dev.tessera.support.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.support.metrics.PrometheusText.Sample;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  @Test
  void samplesAreReadFromSampleLinesNotComments() {
    String page = """
        # HELP tessera_fetch_stale_total results served from batch data a day or more old
        # TYPE tessera_fetch_stale_total counter
        tessera_fetch_stale_total{groupBy="g"} 0.0
        process_uptime_seconds 12.5

        tessera_fetch_latency_seconds_bucket{groupBy="g",le="+Inf"} 3.0 1700000000000
        """;
    assertThat(PrometheusText.parse(page)).containsExactly(
        new Sample("tessera_fetch_stale_total", Map.of("groupBy", "g"), 0.0),
        new Sample("process_uptime_seconds", Map.of(), 12.5),
        new Sample("tessera_fetch_latency_seconds_bucket", Map.of("groupBy", "g", "le", "+Inf"), 3.0));
    assertThat(PrometheusText.names(page)).containsExactly("process_uptime_seconds", "tessera_fetch_latency_seconds_bucket",
        "tessera_fetch_stale_total");
  }

  @Test
  void labelValuesAreUnescapedAndKeepTheirOrder() {
    Sample s = PrometheusText.parse("m{b=\"a \\\"quoted\\\" } value\",a=\"back\\\\slash\\nline\"} -Inf\n").getFirst();
    assertThat(s.labels()).containsExactly(Map.entry("b", "a \"quoted\" } value"), Map.entry("a", "back\\slash\nline"));
    assertThat(s.value()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(PrometheusText.parse("m NaN").getFirst().value()).isNaN();
  }

  @Test
  void linesThatAreNotSamplesAreSkippedNotFatal() {
    assertThat(PrometheusText.parse("""
        {broken} 1
        m{a="unterminated} 1
        m{a=b} 1
        m not-a-number
        m
        ok 1
        """)).extracting(Sample::name).isEqualTo(List.of("ok"));
  }
}
