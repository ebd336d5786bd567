package dev.tessera.support.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.DispatcherType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class RequestIdFilterTest {
  static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
  final RequestIdFilter filter = new RequestIdFilter();
  final List<String> seenInMdc = new ArrayList<>();
  final List<Object> problems = new ArrayList<>();

  private MockHttpServletResponse call(MockHttpServletRequest request) throws Exception {
    MockHttpServletResponse response = new MockHttpServletResponse();
    filter.doFilter(request, response, new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
      @Override
      protected void service(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse res) {
        seenInMdc.add(MDC.get(RequestIds.KEY));
        problems.add(RequestIds.addTo(ProblemDetail.forStatus(HttpStatus.BAD_REQUEST)).getProperties().get(RequestIds.KEY));
      }
    }));
    return response;
  }

  @Test
  void aSaneIncomingIdIsKeptInTheLogContextTheHeaderAndTheProblem() throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/x");
    request.addHeader(RequestIds.HEADER, "3f2a9c1e-77b0-4d1e-9a55-0c6a1b2d3e4f");
    MockHttpServletResponse response = call(request);
    assertThat(response.getHeader(RequestIds.HEADER)).isEqualTo("3f2a9c1e-77b0-4d1e-9a55-0c6a1b2d3e4f");
    assertThat(seenInMdc).containsExactly("3f2a9c1e-77b0-4d1e-9a55-0c6a1b2d3e4f");
    assertThat(problems).containsExactly("3f2a9c1e-77b0-4d1e-9a55-0c6a1b2d3e4f");
    assertThat(MDC.get(RequestIds.KEY)).as("cleared after the request").isNull();
  }

  @Test
  void anIdThatCouldForgeLogLinesIsReplacedNotEchoed() throws Exception {
    for (String bad : List.of("a b", "x\nFORGED log line", "\"quoted\"", "a".repeat(129), "")) {
      MockHttpServletRequest request = new MockHttpServletRequest("GET", "/x");
      request.addHeader(RequestIds.HEADER, bad);
      String id = call(request).getHeader(RequestIds.HEADER);
      assertThat(id).as(bad).matches(UUID);
    }
  }

  @Test
  void withoutAnIncomingIdEachRequestGetsItsOwn() throws Exception {
    String first = call(new MockHttpServletRequest("GET", "/x")).getHeader(RequestIds.HEADER);
    String second = call(new MockHttpServletRequest("GET", "/x")).getHeader(RequestIds.HEADER);
    assertThat(first).matches(UUID);
    assertThat(second).matches(UUID).isNotEqualTo(first);
  }

  @Test
  void theErrorDispatchOfARequestKeepsItsId() throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/x");
    String id = call(request).getHeader(RequestIds.HEADER);
    request.setDispatcherType(DispatcherType.ERROR);
    request.removeAttribute(RequestIdFilter.class.getName() + ".FILTERED");
    call(request);
    assertThat(seenInMdc).containsExactly(id, id);
  }

  @Test
  void outsideARequestAProblemIsLeftAlone() {
    assertThat(RequestIds.addTo(ProblemDetail.forStatus(HttpStatus.BAD_REQUEST)).getProperties()).isNull();
  }
}
