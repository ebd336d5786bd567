package dev.tessera.batch.api;

/**
 * The answer to a start or restart: the job id and where to follow it, and when the job writes a
 * table an earlier job of the same owner wrote, that it replaces (or appends to) that output.
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record JobAccepted(long id, String job, String status, String href, String replaces) {}
