package dev.tessera.registry.groupby;

/** ACTIVE: its latest version is live on the topic. RETIRED: a tombstone was published. */
public enum GroupByStatus { ACTIVE, RETIRED }
