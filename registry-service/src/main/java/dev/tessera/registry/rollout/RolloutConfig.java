package dev.tessera.registry.rollout;

import dev.tessera.registry.groupby.GroupByRegistry;
import dev.tessera.registry.join.JoinParts;
import dev.tessera.registry.security.Accounts;
import dev.tessera.registry.system.RegistryProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class RolloutConfig {

  /** Calls batch and stream at the admin UI's URLs, as the registry's own rollout identity. */
  @Bean(initMethod = "start", destroyMethod = "close")
  RolloutRunner rolloutRunner(GroupByRegistry registry, RegistryProperties props, Accounts accounts, Clock clock, JoinParts joins) {
    RegistryProperties.Rollout r = props.rollout();
    RolloutCalls calls = new RolloutCalls(props.batchUrl(), props.streamUrl(), accounts.rolloutToken(), r.callTimeout());
    return new RolloutRunner(registry, calls, clock, r.pollInterval(), r.uploadTimeout(), r.catchUpTimeout(), r.purgeAfter(), joins);
  }
}
