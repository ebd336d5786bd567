package dev.tessera.batch.consistency;

import dev.tessera.batch.testing.Postgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link JoinConsistencyIT} with PostgreSQL as the warehouse and the job repository (a schema of its
 * own in the machine's database {@code test}): the Join rows' JSONB columns, every unit's partitions by
 * hashtext, the samples' part. Its context is closed afterwards, as {@link PostgresConsistencyIT}'s.
 */
@DirtiesContext
@EnabledIf(value = "dev.tessera.batch.testing.Postgres#reachable",
    disabledReason = "PostgreSQL is not reachable at 127.0.0.1:5432 (user postgres, database test): PostgreSQL Join consistency test skipped")
class PostgresJoinConsistencyIT extends JoinConsistencyIT {
  static final String SCHEMA = Postgres.newSchema("tsr_jcons_it_");

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    Postgres.useSchema(SCHEMA, registry);
  }

  @AfterAll
  static void dropSchema() {
    Postgres.dropSchema(SCHEMA);
  }
}
