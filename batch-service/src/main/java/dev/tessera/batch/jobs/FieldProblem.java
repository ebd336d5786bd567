package dev.tessera.batch.jobs;

/** One thing wrong with a request: the JSON field and what is wrong with it. */
public record FieldProblem(String field, String message) {}
