package dev.tessera.registry.groupby;

import dev.tessera.agg.definition.GroupBy;
import dev.tessera.registry.definition.DefinitionRepository;
import dev.tessera.registry.definition.DependentsGuard;
import dev.tessera.registry.definition.PublishContext;
import dev.tessera.registry.rollout.RolloutRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
class GroupByConfig {

  @Bean
  DefinitionRepository<GroupBy> groupByRepository(JdbcClient jdbc) {
    return GroupByRegistry.repository(jdbc);
  }

  /** Guards come from the kinds that use GroupBys: a Join refuses to lose its GroupBys or to be broken by them. */
  @Bean
  RolloutRepository rolloutRepository(JdbcClient jdbc) {
    return new RolloutRepository(jdbc);
  }

  @Bean
  GroupByRegistry groupByRegistry(DefinitionRepository<GroupBy> groupByRepository, RolloutRepository rolloutRepository,
      PublishContext context, ObjectProvider<DependentsGuard> guards) {
    return new GroupByRegistry(groupByRepository, rolloutRepository, context, guards.orderedStream().toList());
  }
}
