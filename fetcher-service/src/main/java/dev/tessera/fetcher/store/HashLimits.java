package dev.tessera.fetcher.store;

import java.util.List;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;

/**
 * The server's limits under which Redis keeps a hash as a listpack ({@code hash-max-listpack-entries},
 * {@code hash-max-listpack-value}). They decide how a tiles hash is best read: a listpack is one
 * array that {@code HGETALL} copies in one pass but {@code HMGET} scans once per field asked for (a
 * selection of 47 fields of a 313-field listpack cost Redis 134 us against 54 us for the whole
 * hash, measured on a server with 512 entries), while a hash table answers {@code HMGET} by lookup
 * (15 us for the same 47 fields). So a tiles hash that the limits keep a listpack is read whole. The
 * stream makes its tiles hashes hash tables whatever the limits (it pads their {@code r} field past
 * the value limit: {@code RedisKeys.padRollupsFrom}); a listpack is a hash written before it did.
 */
record HashLimits(int listpackEntries, int listpackValue) {
  /**
   * Redis's and Valkey's defaults (512 fields, 64 bytes), assumed when the server does not say
   * (CONFIG may be disabled).
   */
  static final HashLimits DEFAULTS = new HashLimits(512, 64);

  /** True when a hash of {@code entries} fields whose largest value has {@code largestValue} bytes is a listpack. */
  boolean listpack(int entries, int largestValue) {
    return entries <= listpackEntries && largestValue <= listpackValue;
  }

  /** The limits {@code c}'s server reports, or {@link #DEFAULTS} where it does not answer. */
  static HashLimits of(Connection c) {
    return new HashLimits(config(c, "hash-max-listpack-entries", "hash-max-ziplist-entries", DEFAULTS.listpackEntries),
        config(c, "hash-max-listpack-value", "hash-max-ziplist-value", DEFAULTS.listpackValue));
  }

  private static int config(Connection c, String name, String oldName, int fallback) {
    for (String n : List.of(name, oldName)) {
      try {
        c.sendCommand(Protocol.Command.CONFIG, "GET", n);
        List<String> reply = c.getMultiBulkReply();
        if (reply != null && reply.size() == 2) return Integer.parseInt(reply.get(1));
      } catch (RuntimeException e) {
        // CONFIG renamed or refused (managed Redis), or an unknown name: try the next, then assume the default
      }
    }
    return fallback;
  }
}
