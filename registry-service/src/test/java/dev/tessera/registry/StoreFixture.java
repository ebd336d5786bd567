package dev.tessera.registry;

import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.join.Join;
import dev.tessera.registry.definition.DefinitionRepository;
import dev.tessera.registry.definition.PublishContext;
import dev.tessera.registry.definition.RegistryMetrics;
import dev.tessera.registry.groupby.GroupByRegistry;
import dev.tessera.registry.join.JoinParts;
import dev.tessera.registry.join.JoinRegistry;
import dev.tessera.registry.join.JoinType;
import dev.tessera.registry.join.JoinsReadGroupBys;
import dev.tessera.registry.publish.OutboxRecord;
import dev.tessera.registry.publish.OutboxRepository;
import dev.tessera.registry.publish.PublicationState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The registries on a migrated database, wired as the service wires them but without Spring and
 * without a relay: the tracker reports what the outbox holds (the relay has its own tests).
 */
public record StoreFixture(MutableClock clock, JdbcClient jdbc, OutboxRepository outbox, PublishContext context,
    GroupByRegistry groupBys, JoinRegistry joins, JoinParts joinParts) {
  public static final String TOPIC = "tessera.registry";
  /** The largest record the fixture's topic takes (small, so that tests can exceed it cheaply). */
  public static final long MAX_RECORD_BYTES = 64 * 1024;

  public static StoreFixture on(DataSource ds) {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00.123Z"));
    JdbcClient jdbc = JdbcClient.create(ds);
    OutboxRepository outbox = new OutboxRepository(jdbc);
    PublishContext context = new PublishContext(outbox, new TransactionTemplate(new DataSourceTransactionManager(ds)),
        (ids, timeout) -> new PublicationState(PublicationState.Status.PENDING, outbox.unsent(ids), null),
        new RegistryMetrics(new SimpleMeterRegistry()), clock, TOPIC, Duration.ZERO, MAX_RECORD_BYTES);
    JoinParts parts = new JoinParts(jdbc);
    DefinitionRepository<GroupBy> groupByRepository = GroupByRegistry.repository(jdbc);
    JoinType joinType = new JoinType(groupByRepository, parts);
    DefinitionRepository<Join> joinRepository = JoinRegistry.repository(jdbc, joinType);
    GroupByRegistry groupBys = new GroupByRegistry(groupByRepository, new dev.tessera.registry.rollout.RolloutRepository(jdbc), context,
        List.of(new JoinsReadGroupBys(parts, joinRepository, groupByRepository)));
    JoinRegistry joins = new JoinRegistry(joinType, joinRepository, context, parts);
    return new StoreFixture(clock, jdbc, outbox, context, groupBys, joins, parts);
  }

  /** The pending outbox records under one topic key, oldest first. */
  public List<OutboxRecord> outboxOf(String key) {
    return outbox.pending(10_000).stream().filter(r -> r.key().equals(key)).toList();
  }
}
