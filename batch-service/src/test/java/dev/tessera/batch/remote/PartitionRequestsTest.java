package dev.tessera.batch.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.batch.integration.partition.StepExecutionRequest;

class PartitionRequestsTest {

  @Test
  void aRequestTravelsAsJsonAndComesBackTheSame() {
    byte[] bytes = PartitionRequests.encode(new StepExecutionRequest("backfill.compute.partition", 42L));
    assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("{\"stepName\":\"backfill.compute.partition\",\"stepExecutionId\":42}");
    StepExecutionRequest back = PartitionRequests.decode(bytes);
    assertThat(back.getStepName()).isEqualTo("backfill.compute.partition");
    assertThat(back.getStepExecutionId()).isEqualTo(42L);
  }

  @Test
  void aRecordThatIsNoRequestIsRefusedWithItsText() {
    assertThatThrownBy(() -> PartitionRequests.decode("{\"stepName\":\"x\"}".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("not a partition request");
  }
}
