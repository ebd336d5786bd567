package dev.tessera.registry.definition;

/** ACTIVE: its latest version is live on the topic. RETIRED: a tombstone was published. */
public enum DefinitionStatus { ACTIVE, RETIRED }
