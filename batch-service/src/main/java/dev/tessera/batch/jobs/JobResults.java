package dev.tessera.batch.jobs;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.batch.core.job.JobExecution;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.core.type.TypeReference;

/** What a finished job produced (output table, rows, export path...), kept in its execution context for the status endpoint. */
public final class JobResults {
  public static final String KEY = "tessera.result";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private JobResults() {}

  public static void put(JobExecution execution, Map<String, Object> result) {
    execution.getExecutionContext().putString(KEY, JSON.writeValueAsString(result));
  }

  public static Map<String, Object> get(JobExecution execution) {
    String json = execution.getExecutionContext().getString(KEY, null);
    if (json == null) return Map.of();
    return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
  }
}
