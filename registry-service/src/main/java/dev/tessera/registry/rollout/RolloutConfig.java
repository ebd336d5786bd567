package dev.tessera.registry.rollout;

import dev.tessera.registry.groupby.GroupByRegistry;
import dev.tessera.registry.join.JoinParts;
import dev.tessera.registry.security.Accounts;
import dev.tessera.registry.system.Gauges;
import dev.tessera.registry.system.RegistryProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class RolloutConfig {

  /**
   * {@code tessera_registry_rollouts{state}}: versions on their way to being served, read from the
   * table at scrape time (right whichever instance runs them); FAILED ones serve the old version
   * until someone resumes them. {@code tessera_registry_rollout_purges_pending}: replaced versions
   * whose Redis data is still there.
   */
  @Bean
  RolloutGauges rolloutGauges(RolloutRepository rollouts, MeterRegistry meters) {
    for (RolloutState state : RolloutState.values()) {
      if (!state.isPending()) continue;
      Gauge.builder("tessera.registry.rollouts", rollouts, r -> Gauges.safely(() -> r.count(state))).tag("state", state.name())
          .description("GroupBy versions published but not yet served, by rollout state").register(meters);
    }
    Gauge.builder("tessera.registry.rollout.purges.pending", rollouts, r -> Gauges.safely(() -> r.purgesPending().size()))
        .description("Replaced GroupBy versions whose online data is not purged yet").register(meters);
    return new RolloutGauges();
  }

  /** Marker bean: the gauges are registered when it is created. */
  static final class RolloutGauges {}

  /** Calls batch and stream at the admin UI's URLs, as the registry's own rollout identity. */
  @Bean(initMethod = "start", destroyMethod = "close")
  RolloutRunner rolloutRunner(GroupByRegistry registry, RegistryProperties props, Accounts accounts, Clock clock, JoinParts joins) {
    RegistryProperties.Rollout r = props.rollout();
    RolloutCalls calls = new RolloutCalls(props.batchUrl(), props.streamUrl(), accounts.rolloutToken(), r.callTimeout());
    return new RolloutRunner(registry, calls, clock, r.pollInterval(), r.uploadTimeout(), r.catchUpTimeout(), r.purgeAfter(), joins);
  }
}
