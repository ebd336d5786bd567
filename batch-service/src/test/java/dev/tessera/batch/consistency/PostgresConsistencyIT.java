package dev.tessera.batch.consistency;

import dev.tessera.batch.testing.Postgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link ConsistencyIT} with PostgreSQL as the warehouse and the job repository (a schema of its own
 * in the machine's database {@code test}): JSONB logs, hashtext partitions, the report's date
 * arithmetic. Its context (a broker and a service of its own) is closed afterwards, so that it does
 * not load the machine while the other tests run.
 */
@DirtiesContext
@EnabledIf(value = "dev.tessera.batch.testing.Postgres#reachable",
    disabledReason = "PostgreSQL is not reachable at 127.0.0.1:5432 (user postgres, database test): PostgreSQL consistency test skipped")
class PostgresConsistencyIT extends ConsistencyIT {
  static final String SCHEMA = Postgres.newSchema("tsr_cons_it_");

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    Postgres.useSchema(SCHEMA, registry);
  }

  @AfterAll
  static void dropSchema() {
    Postgres.dropSchema(SCHEMA);
  }
}
