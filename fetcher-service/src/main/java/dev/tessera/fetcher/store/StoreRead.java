package dev.tessera.fetcher.store;

import java.util.List;

/**
 * The answer of one pipelined read: per requested entity (in request order) its stored bytes, and
 * the upload marker of the GroupBy version (the batch end of the latest completed upload, null when
 * nothing was ever uploaded). {@code markerError} is set when the marker exists but is unreadable.
 * {@code listpackHashes} says whether the largest tiles hash read is a listpack ({@link HashLimits}:
 * then the next read takes whole hashes), null when no entity had one.
 */
public record StoreRead(Long uploadMarker, String markerError, List<StoredEntity> entities, Boolean listpackHashes) {
  public StoreRead {
    entities = List.copyOf(entities);
  }

  public StoreRead(Long uploadMarker, String markerError, List<StoredEntity> entities) {
    this(uploadMarker, markerError, entities, null);
  }
}
