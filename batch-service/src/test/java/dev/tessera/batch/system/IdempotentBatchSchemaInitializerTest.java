package dev.tessera.batch.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcProperties;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.core.io.DefaultResourceLoader;

/** The job repository schema on a persistent H2 file: created on the first start, left alone on the next. */
class IdempotentBatchSchemaInitializerTest {

  @Test
  void aSecondStartOnTheSameFileDoesNotFail() throws Exception {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:file:./target/unit-jobrepos/" + UUID.randomUUID() + "/jobs");
    ds.setUser("sa");
    BatchJdbcProperties properties = new BatchJdbcProperties();
    properties.setInitializeSchema(DatabaseInitializationMode.ALWAYS);
    properties.setContinueOnError(false);

    IdempotentBatchSchemaInitializer first = new IdempotentBatchSchemaInitializer(ds, properties);
    first.setResourceLoader(new DefaultResourceLoader());
    assertThat(first.initializeDatabase()).isTrue();
    IdempotentBatchSchemaInitializer second = new IdempotentBatchSchemaInitializer(ds, properties);
    second.setResourceLoader(new DefaultResourceLoader());
    assertThat(second.initializeDatabase()).as("nothing to do, and no error").isFalse();
    try (Connection c = ds.getConnection(); ResultSet rs = c.getMetaData().getTables(null, null, "BATCH_STEP_EXECUTION_CONTEXT", null)) {
      assertThat(rs.next()).isTrue();
    }
  }
}
