package dev.tessera.fetcher.fetch;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Leaves fetch requests out of Spring's {@code http.server.requests} observation unless asked to
 * keep them ({@code tessera.fetcher.observe-fetch-requests}). {@code tessera.fetch.*} already times
 * fetches per GroupBy and counts their errors by kind ({@link FetchMetrics}, the problem advice);
 * the generic observation cost 5-7% of the single-key throughput at concurrency 16 in paired runs
 * (docs/benchmarks.md). Other requests (actuator, OpenAPI) are observed as usual.
 */
final class FetchRequestObservations implements ObservationPredicate {
  static final String FETCH_PATH = "/v1/features/";

  private final boolean observeFetches;

  FetchRequestObservations(boolean observeFetches) {
    this.observeFetches = observeFetches;
  }

  @Override
  public boolean test(String name, Observation.Context context) {
    return observeFetches || !(context instanceof ServerRequestObservationContext server && isFetch(server.getCarrier().getRequestURI()));
  }

  private static boolean isFetch(String uri) {
    return uri != null && uri.startsWith(FETCH_PATH);
  }
}
