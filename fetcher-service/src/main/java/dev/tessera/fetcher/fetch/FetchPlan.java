package dev.tessera.fetcher.fetch;

import dev.tessera.support.LiveGroupBy;
import io.micrometer.core.instrument.MeterRegistry;

/** What serving one live GroupBy version needs, built once per version: its key schema and its one-part read plan. */
final class FetchPlan {
  final LiveGroupBy live;
  final String name;
  final int version;
  final KeySchema keys;
  final PartPlan reads;
  final FetchMetrics metrics;

  FetchPlan(LiveGroupBy live, MeterRegistry meters) {
    this.live = live;
    this.name = live.name();
    this.version = live.version();
    this.keys = new KeySchema(live.compiled());
    this.reads = PartPlan.of(live);
    this.metrics = new FetchMetrics(meters, name);
  }
}
