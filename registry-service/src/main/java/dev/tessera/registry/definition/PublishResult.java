package dev.tessera.registry.definition;

import dev.tessera.registry.publish.PublicationState;

/** What a publish did: the change, the version that is now the latest, and where its record is. */
public record PublishResult<D, C>(Change change, Integer previousVersion, DefinitionSummary summary, StoredVersion<D> version,
    C compiled, PublicationState publication) {}
