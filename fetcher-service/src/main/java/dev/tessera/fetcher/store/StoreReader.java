package dev.tessera.fetcher.store;

import java.util.List;

/**
 * The one Redis round trip of a fetch, behind {@link FeatureStore}'s guards: every command of every
 * request is sent before any reply is awaited (one pipelined round trip per Redis shard), the replies
 * become one {@link StoreRead} per request ({@link StoreReplies}). Client types stay behind this.
 */
interface StoreReader extends AutoCloseable {
  /**
   * The stored bytes of several GroupBy versions' entities, read before {@code deadlineNanos}
   * ({@link System#nanoTime()}).
   *
   * @throws java.util.concurrent.TimeoutException or {@link java.net.SocketTimeoutException} when the deadline passed
   * @throws RedisReplyException when Redis answered with an error that is not about one key
   * @throws Exception when Redis cannot be reached or the connection failed
   */
  List<StoreRead> read(List<StoreRequest> requests, long deadlineNanos) throws Exception;

  /** The one GroupBy version read of a GroupBy fetch. */
  default StoreRead read(String groupBy, int version, List<List<Object>> keys, long deadlineNanos) throws Exception {
    return read(List.of(new StoreRequest(groupBy, version, keys)), deadlineNanos).getFirst();
  }

  /** Where the data is read from, for error messages. */
  String where();

  @Override
  default void close() {}
}
