package dev.tessera.batch.api;

import java.time.LocalDateTime;

/** One line of {@code GET /api/v1/jobs}. */
public record JobSummary(long id, String job, String status, String groupBy, String target, LocalDateTime createdAt,
    LocalDateTime endedAt) {}
