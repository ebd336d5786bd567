package dev.tessera.batch.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BatchServicePropertiesTest {

  @Test
  void defaults() {
    BatchServiceProperties p = new BatchServiceProperties(null, null, null, null, null, null, null, null, null, null, null, null);
    assertThat(p.dataDir()).isEqualTo(Path.of("data"));
    assertThat(p.effectivePartitions()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(p.chunkEntities()).isEqualTo(5000);
    assertThat(p.warehouse().checkpointThreshold()).isEqualTo("1GB");
    assertThat(p.exportDir()).isEqualTo(Path.of("data", "exports"));
    assertThat(p.warehouseUrl()).startsWith("jdbc:duckdb:").endsWith("warehouse.duckdb");
    assertThat(p.warehouse().memoryLimit()).isEqualTo("2GB");
    assertThat(p.definitions().source()).isEqualTo("registry");
    assertThat(p.rejects().maxFraction()).isEqualTo(0.01);
    assertThat(p.upload().ttl()).isEqualTo(Duration.ZERO);
    assertThat(p.ingest().offsetsTable()).isEqualTo("tessera_ingest_offsets");
    assertThat(p.recoverOnStartup()).isTrue();
    assertThat(p.lakeShuffleMinPartitions()).isEqualTo(16);
  }

  @Test
  void badValuesNameTheProperty() {
    assertThatThrownBy(() -> new BatchServiceProperties(null, -1, null, null, null, null, null, null, null, null, null, null))
        .hasMessageContaining("tessera.batch.partitions");
    assertThatThrownBy(() -> new BatchServiceProperties(null, null, null, null, null, null, null, null, null, null, null, 0))
        .hasMessageContaining("tessera.batch.lake-shuffle-min-partitions");
    assertThatThrownBy(() -> new BatchServiceProperties.Warehouse("jdbc:mysql://x", null, null, null, null, null, null, null, null))
        .hasMessageContaining("tessera.batch.warehouse.url");
    assertThatThrownBy(() -> new BatchServiceProperties.Warehouse(null, null, null, null, "lots", null, null, null, null))
        .hasMessageContaining("tessera.batch.warehouse.memory-limit");
    assertThatThrownBy(() -> new BatchServiceProperties.Definitions("directory", null, null))
        .hasMessageContaining("tessera.batch.definitions.directory");
    assertThatThrownBy(() -> new BatchServiceProperties.Rejects(null, 1.5, null))
        .hasMessageContaining("tessera.batch.rejects.max-fraction");
    assertThatThrownBy(() -> new BatchServiceProperties.Ingest(null, null, "x; drop"))
        .hasMessageContaining("tessera.batch.ingest.offsets-table");
  }
}
