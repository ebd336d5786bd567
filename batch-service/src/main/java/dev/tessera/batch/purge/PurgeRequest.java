package dev.tessera.batch.purge;

/**
 * {@code POST /api/v1/jobs/purge}: deletes every Redis key of one GroupBy version (its batch IRs,
 * tile hashes and upload marker). The registry asks for it once a rollout's grace period has passed
 * and no active Join pins the version (DESIGN.md "Version rollout"); batch IR keys have no TTL, so
 * without it a replaced version's data would stay in Redis forever.
 */
public record PurgeRequest(String groupBy, Integer version) {}
