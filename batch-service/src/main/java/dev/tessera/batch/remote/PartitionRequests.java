package dev.tessera.batch.remote;

import java.nio.charset.StandardCharsets;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A partition request as it travels on the topic: JSON {@code {"stepName", "stepExecutionId"}}, the
 * fields of Spring Batch's {@link StepExecutionRequest} (not Java serialization: a record any
 * process version, or a person with a console consumer, can read).
 */
public final class PartitionRequests {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private PartitionRequests() {}

  public static byte[] encode(StepExecutionRequest r) {
    return JSON.writeValueAsString(JSON.createObjectNode().put("stepName", r.getStepName()).put("stepExecutionId", r.getStepExecutionId()))
        .getBytes(StandardCharsets.UTF_8);
  }

  public static StepExecutionRequest decode(byte[] value) {
    JsonNode n = JSON.readTree(new String(value, StandardCharsets.UTF_8));
    if (!n.path("stepName").isString() || !n.path("stepExecutionId").canConvertToLong()) {
      throw new IllegalArgumentException("not a partition request: " + new String(value, StandardCharsets.UTF_8));
    }
    return new StepExecutionRequest(n.get("stepName").asString(), n.get("stepExecutionId").asLong());
  }
}
