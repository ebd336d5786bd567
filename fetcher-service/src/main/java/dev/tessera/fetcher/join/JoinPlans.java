package dev.tessera.fetcher.join;

import dev.tessera.fetcher.definitions.JoinDefinitions;
import dev.tessera.fetcher.definitions.JoinDefinitions.ServableJoin;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The plan of each Join's current compilation; a recompiled Join (new Join or GroupBy version) gets a new plan. */
final class JoinPlans {
  private final JoinDefinitions definitions;
  private final MeterRegistry meters;
  private final Map<String, JoinPlan> plans = new ConcurrentHashMap<>();
  private final Map<String, JoinMetrics> metrics = new ConcurrentHashMap<>();

  JoinPlans(JoinDefinitions definitions, MeterRegistry meters) {
    this.definitions = definitions;
    this.meters = meters;
  }

  JoinPlan require(String name) {
    ServableJoin servable = definitions.require(name);
    JoinPlan plan = plans.get(name);
    if (plan == null || plan.servable != servable) {
      plan = new JoinPlan(servable, metrics.computeIfAbsent(name, n -> new JoinMetrics(meters, n)));
      plans.put(name, plan);
    }
    return plan;
  }
}
