package dev.tessera.fetcher.join;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/** The body of a Join fetch (DESIGN-joins.md "Online"): one result per requested row, in request order. */
public record JoinResponse(@Schema(description = "one result per requested row, in request order") List<Result> results) {
  public JoinResponse {
    results = List.copyOf(results);
  }

  /** Success: every part answered. PartialFailure: some did not (their features are null). Failure: none did. */
  public enum Status { Success, PartialFailure, Failure }

  /** The answer for one row. */
  public record Result(
      Status status,
      @Schema(description = "the row's key columns as requested, typed by left.schema") Map<String, Object> keys,
      @Schema(description = "every output column: request fields, the parts' features ({prefix}_{feature}), derivations; "
          + "null for the features of a failed part") Map<String, Object> features,
      Meta meta) {}

  /** Where a row's values came from. */
  public record Meta(
      @Schema(description = "the Join version served") int joinVersion,
      @Schema(description = "the time t the values are as of (events with ts < t)") long asOf,
      @Schema(description = "per part, by part name (its prefix, or its GroupBy without one)") Map<String, Part> parts,
      @Schema(description = "derivations that failed to evaluate on this row (their values are null); left out when 0")
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) int derivationErrors) {}

  /** One part of a row: its GroupBy version and freshness (as a GroupBy fetch's meta), or why it failed. */
  public record Part(
      @Schema(description = "the part's GroupBy") String groupBy,
      @Schema(description = "the GroupBy version read (live, or pinned by the Join)") int version,
      @Schema(description = "batch end B (epoch millis) of the batch data used; null when none", nullable = true) Long batchEnd,
      @Schema(description = "end (epoch millis) of the newest streaming tile before asOf; null when none", nullable = true) Long latestTileEnd,
      @Schema(description = "true when the batch data is a day or more old; null when the part failed", nullable = true) Boolean stale,
      @Schema(description = "why this part has no values (its features are null); absent when it succeeded")
      @JsonInclude(JsonInclude.Include.NON_NULL) String error) {

    static Part failed(String groupBy, int version, String error) {
      return new Part(groupBy, version, null, null, null, error);
    }
  }
}
