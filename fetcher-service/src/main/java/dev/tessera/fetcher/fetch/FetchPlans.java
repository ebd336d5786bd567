package dev.tessera.fetcher.fetch;

import dev.tessera.fetcher.definitions.GroupByDefinitions;
import dev.tessera.support.LiveGroupBy;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The plan of each GroupBy's live version; a new version (or republication) gets a new plan. */
final class FetchPlans {
  private final GroupByDefinitions definitions;
  private final MeterRegistry meters;
  private final Map<String, FetchPlan> plans = new ConcurrentHashMap<>();

  FetchPlans(GroupByDefinitions definitions, MeterRegistry meters) {
    this.definitions = definitions;
    this.meters = meters;
  }

  FetchPlan require(String name) {
    LiveGroupBy live = definitions.require(name);
    FetchPlan plan = plans.get(name);
    if (plan == null || plan.live != live) {
      plan = new FetchPlan(live, meters);
      plans.put(name, plan);
    }
    return plan;
  }
}
