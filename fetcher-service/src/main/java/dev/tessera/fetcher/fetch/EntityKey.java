package dev.tessera.fetcher.fetch;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One entity's key, checked against the GroupBy's key schema: the values in key order, typed as
 * rows carry them (STRING as String, INT and LONG as Long, BOOLEAN as Boolean)
 * so that they encode to the same Redis key the pipelines wrote, and the same as a name -> value
 * map for the response.
 */
public record EntityKey(List<Object> values, Map<String, Object> byName) {
  public EntityKey {
    values = Collections.unmodifiableList(values);
    byName = Collections.unmodifiableMap(byName);
  }
}
