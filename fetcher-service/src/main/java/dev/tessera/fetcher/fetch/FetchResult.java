package dev.tessera.fetcher.fetch;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/**
 * The answer for one key: {@code Success} with the feature values (null, 0 or {} for a key without
 * data, DESIGN.md result conventions) and where they came from, or {@code Failure} with an error
 * text while the other keys of the request still succeed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FetchResult(
    Status status,
    @Schema(description = "the key as requested, typed by the GroupBy's key schema") Map<String, Object> entityKeys,
    @Schema(description = "feature name -> value (LONG results are JSON integers, DOUBLE results JSON floats)") Map<String, Object> features,
    ResultMeta meta,
    @Schema(description = "why this key has no values (Failure only)") String error) {

  public enum Status { Success, Failure }

  static FetchResult success(Map<String, Object> entityKeys, Map<String, Object> features, ResultMeta meta) {
    return new FetchResult(Status.Success, entityKeys, features, meta, null);
  }

  static FetchResult failure(Map<String, Object> entityKeys, String error) {
    return new FetchResult(Status.Failure, entityKeys, null, null, error);
  }
}
