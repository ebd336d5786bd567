package dev.tessera.registry.definition;

import dev.tessera.registry.publish.PublicationState;

/** What a retire did: RETIRED (a tombstone went to the outbox) or UNCHANGED (it was retired already). */
public record RetireResult(Change change, DefinitionSummary summary, PublicationState publication) {}
