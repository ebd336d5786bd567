package dev.tessera.registry.join;

import dev.tessera.agg.definition.GroupBy;
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
  JoinsReadGroupBys joinsReadGroupBys(JoinParts parts) {
    return new JoinsReadGroupBys(parts);
  }

  @Bean
  JoinRegistry joinRegistry(JdbcClient jdbc, DefinitionRepository<GroupBy> groupByRepository, PublishContext context, JoinParts parts) {
    JoinType type = new JoinType(groupByRepository, parts);
    return new JoinRegistry(type, JoinRegistry.repository(jdbc, type), context, parts);
  }
}
