package dev.tessera.fetcher.fetch;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The body of a fetch (DESIGN.md "REST APIs"): one result per requested key, in request order. */
public record FetchResponse(@Schema(description = "one result per requested key, in request order") List<FetchResult> results) {
  public FetchResponse {
    results = List.copyOf(results);
  }
}
