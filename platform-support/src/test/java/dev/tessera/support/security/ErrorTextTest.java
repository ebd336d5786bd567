package dev.tessera.support.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorTextTest {

  @Test
  void classNamesAndPathsLeaveTheMessage() {
    assertThat(ErrorText.clean("java.lang.IllegalStateException: org.duckdb.DuckDBAppender failed on /srv/tessera/data/warehouse.duckdb"))
        .isEqualTo("DuckDBAppender failed on warehouse.duckdb");
    assertThat(ErrorText.clean("Caused by: java.sql.SQLException: Cannot open C:\\data\\tessera\\w.duckdb"))
        .isEqualTo("Cannot open w.duckdb");
    assertThat(ErrorText.clean("Cannot deserialize value of type `dev.tessera.batch.upload.UploadRequest` from Array"))
        .isEqualTo("Cannot deserialize value of type `UploadRequest` from Array");
  }

  @Test
  void plainMessagesAndUrlsStay() {
    assertThat(ErrorText.clean("date must be on or before 2026-12-06 (the last complete day)"))
        .isEqualTo("date must be on or before 2026-12-06 (the last complete day)");
    assertThat(ErrorText.clean("the registry at http://localhost:8081/api/v1/auth/me did not answer"))
        .isEqualTo("the registry at http://localhost:8081/api/v1/auth/me did not answer");
  }
}
