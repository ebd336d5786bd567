package dev.tessera.fetcher.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.InstantSource;
import org.apache.catalina.connector.ClientAbortException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import tools.jackson.core.exc.JacksonIOException;

class FetchProblemAdviceTest {
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final FetchProblemAdvice advice = new FetchProblemAdvice(meters, InstantSource.system());

  private double errors(String kind) {
    var counter = meters.find("tessera.fetch.errors").tag("kind", kind).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void aClientThatWentAwayWhileTheAnswerWasWrittenIsCountedNotAnsweredNorAnError() {
    // what Jackson throws when Tomcat's socket write fails because the client closed the connection
    RuntimeException e = JacksonIOException.construct(new ClientAbortException(new IOException("Broken pipe")));
    assertThat(advice.unexpected(e)).isNull();
    assertThat(errors("client_disconnected")).isEqualTo(1);
    assertThat(errors("internal_error")).isZero();
  }

  @Test
  void aBugIsA500ProblemCountedAsAnInternalError() {
    ResponseEntity<ProblemDetail> answer = advice.unexpected(new IllegalStateException("boom\nsecond line"));
    assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
    // the answer names no class and no message (issue 21: errors leaked internals); the log has both
    assertThat(answer.getBody().getDetail()).isEqualTo("the fetcher failed unexpectedly; its log has the details");
    assertThat(errors("internal_error")).isEqualTo(1);
    assertThat(errors("client_disconnected")).isZero();
  }
}
