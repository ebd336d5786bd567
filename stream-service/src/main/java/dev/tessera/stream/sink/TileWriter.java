package dev.tessera.stream.sink;

import java.util.List;

/**
 * Where tiles go: Redis in production ({@link RedisTileWriter}). One writer per stream task, used
 * by that task's thread only.
 */
public interface TileWriter extends AutoCloseable {

  /**
   * Applies every entity's changes, pipelined, and returns when all of them are done.
   *
   * @return how many hash fields the deletes actually removed (most trimmed slots hold no tile)
   * @throws TileWriteException when any command failed: the caller keeps the tiles dirty and
   *     retries them whole at its next flush
   */
  long write(List<EntityTiles> changes);

  /** The batch end of the latest completed upload of the GroupBy version ({@code RedisKeys.uploadKey}), or null. */
  Long uploadEnd();

  @Override
  void close();
}
