package dev.tessera.registry.definition;

import java.time.Instant;

/** One change in a name's history: what happened to which version, when and by whom. */
public record HistoryEvent(long id, String name, int version, long revision, Change change, Instant at, String actor) {}
