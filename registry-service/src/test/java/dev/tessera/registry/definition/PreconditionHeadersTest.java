package dev.tessera.registry.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Optimistic locking input and what conflicts with what. */
class PreconditionHeadersTest {
  static DefinitionSummary at(int version, long revision) {
    return new DefinitionSummary("g", DefinitionStatus.ACTIVE, version, revision, null, null, true, 1, Instant.EPOCH, Instant.EPOCH, null);
  }

  @Test
  void anEtagNamesVersionAndRevision() {
    Precondition p = PreconditionHeaders.parse(null, "\"3.7\"", null);
    assertThat(p).isEqualTo(new Precondition(3, 7L, false));
    assertThat(p.violationBy(at(3, 7))).isNull();
    assertThat(p.violationBy(at(3, 8))).isEqualTo("it was changed since you read it (revision 8, not 7)");
    assertThat(p.violationBy(at(4, 8))).isEqualTo("its latest version is 4, not 3");
    assertThat(PreconditionHeaders.parse(null, "W/\"3.7\"", null)).isEqualTo(p);
  }

  @Test
  void expectedVersionZeroAndIfNoneMatchMeanCreateOnly() {
    Precondition p = PreconditionHeaders.parse(null, null, "*");
    assertThat(p).isEqualTo(new Precondition(0, null, false));
    assertThat(p.violationBy(null)).isNull();
    assertThat(p.violationBy(at(2, 5))).isEqualTo("it already exists at version 2");
    assertThat(PreconditionHeaders.parse(0, null, null).violationBy(at(1, 1))).isEqualTo("it already exists at version 1");
  }

  @Test
  void ifMatchStarNeedsTheNameToExist() {
    Precondition p = PreconditionHeaders.parse(null, "*", null);
    assertThat(p.violationBy(null)).isEqualTo("it does not exist");
    assertThat(p.violationBy(at(1, 1))).isNull();
  }

  @Test
  void noPreconditionAcceptsAnything() {
    Precondition p = PreconditionHeaders.parse(null, null, null);
    assertThat(p.isNone()).isTrue();
    assertThat(p.violationBy(null)).isNull();
    assertThat(p.violationBy(at(9, 9))).isNull();
  }

  @Test
  void malformedOrContradictoryHeadersAreBadRequests() {
    assertThatThrownBy(() -> PreconditionHeaders.parse(null, "3", null)).isInstanceOf(BadRequestException.class)
        .hasMessageContaining("If-Match must be an ETag");
    assertThatThrownBy(() -> PreconditionHeaders.parse(null, null, "\"1.1\"")).isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> PreconditionHeaders.parse(2, "\"3.7\"", null)).isInstanceOf(BadRequestException.class)
        .hasMessage("If-Match names version 3 but expectedVersion is 2");
    assertThatThrownBy(() -> PreconditionHeaders.parse(-1, null, null)).isInstanceOf(BadRequestException.class);
  }

  @Test
  void theEtagHeaderQuotesVersionAndRevision() {
    assertThat(PreconditionHeaders.etag(at(3, 7))).isEqualTo("\"3.7\"");
  }
}
