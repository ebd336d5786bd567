package dev.tessera.fetcher.store;

import java.util.List;

/**
 * The entities of one GroupBy version that a read wants (key values in key order). A GroupBy fetch
 * reads one; a Join fetch reads one per GroupBy version its parts use, all in the same round trip.
 * The list is not copied (the caller built it for this read).
 */
public record StoreRequest(String groupBy, int version, List<List<Object>> keys) {}
