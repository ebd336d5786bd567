package dev.tessera.registry.definition;

/**
 * What publishing a valid definition would do now: the change and the version it would leave as
 * the latest ({@code previousVersion} null for a new name).
 */
public record Plan(String name, Change change, int version, Integer previousVersion) {}
