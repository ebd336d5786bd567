package dev.tessera.registry.join;

import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.join.Join;
import dev.tessera.registry.definition.DefinitionRepository;
import dev.tessera.registry.definition.PublishContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
class JoinConfig {

  @Bean
  JoinParts joinParts(JdbcClient jdbc) {
    return new JoinParts(jdbc);
  }

  @Bean
  JoinType joinType(DefinitionRepository<GroupBy> groupByRepository, JoinParts parts) {
    return new JoinType(groupByRepository, parts);
  }

  @Bean
  DefinitionRepository<Join> joinRepository(JdbcClient jdbc, JoinType type) {
    return JoinRegistry.repository(jdbc, type);
  }

  /** Guards the GroupBy registry's writes for the Joins that read them. */
  @Bean
  JoinsReadGroupBys joinsReadGroupBys(JoinParts parts, DefinitionRepository<Join> joinRepository,
      DefinitionRepository<GroupBy> groupByRepository) {
    return new JoinsReadGroupBys(parts, joinRepository, groupByRepository);
  }

  @Bean
  JoinRegistry joinRegistry(JoinType type, DefinitionRepository<Join> joinRepository, PublishContext context, JoinParts parts) {
    return new JoinRegistry(type, joinRepository, context, parts);
  }
}
