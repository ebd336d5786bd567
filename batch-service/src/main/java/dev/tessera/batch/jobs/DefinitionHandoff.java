package dev.tessera.batch.jobs;

import dev.tessera.agg.registry.PublishedGroupBy;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Passes the exact GroupBy version a request was validated against to the job it starts, so that a
 * version published between the two moments cannot slip in. Keyed by the request id.
 */
public final class DefinitionHandoff {
  private final ConcurrentMap<String, PublishedGroupBy> pending = new ConcurrentHashMap<>();

  public void put(String requestId, PublishedGroupBy groupBy) {
    pending.put(requestId, groupBy);
  }

  public Optional<PublishedGroupBy> take(String requestId) {
    return Optional.ofNullable(pending.remove(requestId));
  }

  public void discard(String requestId) {
    pending.remove(requestId);
  }
}
