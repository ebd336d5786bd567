package dev.tessera.batch.jobs;

import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.batch.definitions.ResolvedJoin;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Passes the exact GroupBy version (or Join and GroupBy versions) a request was validated against to
 * the job it starts, so that a version published between the two moments cannot slip in. Keyed by
 * the request id.
 */
public final class DefinitionHandoff {
  private final ConcurrentMap<String, PublishedGroupBy> pending = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, ResolvedJoin> pendingJoins = new ConcurrentHashMap<>();

  public void put(String requestId, PublishedGroupBy groupBy) {
    pending.put(requestId, groupBy);
  }

  public void put(String requestId, ResolvedJoin join) {
    pendingJoins.put(requestId, join);
  }

  public Optional<PublishedGroupBy> take(String requestId) {
    return Optional.ofNullable(pending.remove(requestId));
  }

  public Optional<ResolvedJoin> takeJoin(String requestId) {
    return Optional.ofNullable(pendingJoins.remove(requestId));
  }

  public void discard(String requestId) {
    pending.remove(requestId);
    pendingJoins.remove(requestId);
  }
}
