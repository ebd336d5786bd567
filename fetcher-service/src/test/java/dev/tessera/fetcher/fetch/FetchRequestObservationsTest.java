package dev.tessera.fetcher.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class FetchRequestObservationsTest {

  private static ServerRequestObservationContext request(String method, String uri) {
    return new ServerRequestObservationContext(new MockHttpServletRequest(method, uri), new MockHttpServletResponse());
  }

  @Test
  void fetchRequestsAreNotObservedByDefault() {
    FetchRequestObservations predicate = new FetchRequestObservations(false);
    assertThat(predicate.test("http.server.requests", request("POST", "/v1/features/groupby/purchases"))).isFalse();
    assertThat(predicate.test("http.server.requests", request("GET", "/v1/features/groupby/purchases"))).isFalse();
  }

  @Test
  void otherRequestsAndOtherObservationsAreObserved() {
    FetchRequestObservations predicate = new FetchRequestObservations(false);
    assertThat(predicate.test("http.server.requests", request("GET", "/actuator/prometheus"))).isTrue();
    assertThat(predicate.test("http.server.requests", request("GET", "/v3/api-docs"))).isTrue();
    assertThat(predicate.test("http.server.requests", request("GET", "/v1/featuresX"))).isTrue();
    assertThat(predicate.test("tessera.other", new Observation.Context())).isTrue();
  }

  @Test
  void theSettingKeepsFetchRequestsObserved() {
    assertThat(new FetchRequestObservations(true).test("http.server.requests", request("POST", "/v1/features/groupby/purchases"))).isTrue();
  }
}
