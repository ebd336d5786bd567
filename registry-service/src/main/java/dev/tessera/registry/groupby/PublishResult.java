package dev.tessera.registry.groupby;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.registry.publish.PublicationState;

/** What a publish did: the change, the version that is now the latest, and where its record is. */
public record PublishResult(Change change, Integer previousVersion, GroupBySummary summary, StoredVersion version,
    CompiledGroupBy compiled, PublicationState publication) {}
