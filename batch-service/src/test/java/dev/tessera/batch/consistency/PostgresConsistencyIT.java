package dev.tessera.batch.consistency;

import dev.tessera.batch.testing.Postgres;
import java.util.UUID;
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
  static final String SCHEMA = "tsr_cons_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    Postgres.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
    String url = Postgres.URL + "?currentSchema=" + SCHEMA + "&reWriteBatchedInserts=true";
    registry.add("tessera.batch.warehouse.url", () -> url);
    registry.add("tessera.batch.warehouse.username", () -> Postgres.USER);
    registry.add("spring.datasource.url", () -> url);
    registry.add("spring.datasource.username", () -> Postgres.USER);
    registry.add("spring.datasource.password", () -> "");
  }

  @AfterAll
  static void dropSchema() {
    Postgres.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
  }
}
