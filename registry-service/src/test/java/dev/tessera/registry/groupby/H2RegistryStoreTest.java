package dev.tessera.registry.groupby;

import com.zaxxer.hikari.HikariDataSource;
import dev.tessera.registry.join.JoinStoreContract;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The storage contract on H2, the default store (in memory here; a file in production). */
class H2RegistryStoreTest extends RegistryStoreContract implements JoinStoreContract {
  static HikariDataSource ds;

  @BeforeAll
  static void database() {
    ds = new HikariDataSource();
    ds.setJdbcUrl("jdbc:h2:mem:store-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
    ds.setUsername("sa");
    ds.setMaximumPoolSize(8);
    Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
  }

  @AfterAll
  static void close() {
    ds.close();
  }

  @Override
  public DataSource dataSource() {
    return ds;
  }
}
