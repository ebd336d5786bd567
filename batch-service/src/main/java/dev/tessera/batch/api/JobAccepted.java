package dev.tessera.batch.api;

/** The answer to a start or restart: the job id and where to follow it. */
public record JobAccepted(long id, String job, String status, String href) {}
