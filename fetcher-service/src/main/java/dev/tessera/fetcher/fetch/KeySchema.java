package dev.tessera.fetcher.fetch;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.definition.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Turns request keys into {@link EntityKey}s, checked against the key columns of a GroupBy: every
 * key name present, no other, each of its column's type. A JSON body is strict: a STRING key must
 * be a JSON string ({@code {"user_id": 123}} for a STRING key is a 400, not a silent coercion,
 * because {@code 123}, {@code 123.0} and {@code "0123"} would look up different entities and a
 * miss answers with empty features, which a caller cannot tell from a real entity without data).
 * Query parameters are text, so there the text is parsed as the column's type.
 */
public final class KeySchema {
  /** The longest key value (characters) a fetch accepts. */
  public static final int MAX_KEY_LENGTH = 1024;

  private final String groupBy;
  private final List<String> names;
  private final DataType[] types;

  public KeySchema(CompiledGroupBy groupBy) {
    this.groupBy = groupBy.name();
    this.names = List.copyOf(groupBy.keyNames());
    this.types = new DataType[names.size()];
    for (int i = 0; i < types.length; i++) types[i] = groupBy.keyType(i);
  }

  public List<String> names() {
    return names;
  }

  /** Key name -> type spec, for messages and the API description. */
  public Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < types.length; i++) m.put(names.get(i), types[i].spec());
    return m;
  }

  /**
   * The keys of a POST body: a JSON array of key objects.
   *
   * @throws InvalidRequestException naming every bad key (up to {@value RequestProblems#MAX_PROBLEMS}) with its JSON path
   */
  public List<EntityKey> fromJsonArray(JsonNode body, int maxKeys) {
    if (body == null || !body.isArray()) {
      throw InvalidRequestException.malformedBody("expected a JSON array of key objects such as [" + example() + "], got "
          + TypedValues.kindOf(body), groupBy);
    }
    if (body.size() > maxKeys) throw InvalidRequestException.tooManyKeys(body.size(), maxKeys, groupBy);
    List<EntityKey> keys = new ArrayList<>(body.size());
    RequestProblems problems = new RequestProblems();
    for (int i = 0; i < body.size(); i++) {
      EntityKey key = fromJsonObject(body.get(i), "$[" + i + "]", problems);
      if (key != null) keys.add(key);
    }
    problems.throwIfAny(groupBy);
    return keys;
  }

  private EntityKey fromJsonObject(JsonNode node, String path, RequestProblems problems) {
    if (node == null || !node.isObject()) {
      problems.add(path, "expected a key object such as " + example() + ", got " + TypedValues.kindOf(node));
      return null;
    }
    int before = problems.count();
    Object[] values = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      String name = names.get(i);
      JsonNode v = node.get(name);
      if (v == null || v.isMissingNode()) {
        problems.add(path, "missing key '" + name + "' (" + types[i].spec() + "); this GroupBy's keys are " + describe());
      } else {
        values[i] = fromJsonValue(v, i, path + "." + name, problems);
      }
    }
    for (String given : node.propertyNames()) {
      if (!names.contains(given)) {
        problems.add(path + "." + given, "unknown key '" + given + "'; this GroupBy's keys are " + describe());
      }
    }
    return problems.count() == before ? entityKey(values) : null;
  }

  private Object fromJsonValue(JsonNode v, int i, String path, RequestProblems problems) {
    if (v.isNull()) {
      problems.add(path, "is null; a key needs a value");
      return null;
    }
    // the compiler allows STRING, INT, LONG and BOOLEAN keys only
    return bounded(TypedValues.fromJson(v, types[i], "key", path, problems), path, problems);
  }

  /**
   * A key longer than {@value #MAX_KEY_LENGTH} characters is a 400 before any Redis work: no real
   * entity id is that long, and a huge one would only cost Redis and count as a store failure.
   */
  public static Object bounded(Object value, String path, RequestProblems problems) {
    if (value instanceof String s && s.length() > MAX_KEY_LENGTH) {
      problems.add(path, "is " + s.length() + " characters long; a key may have at most " + MAX_KEY_LENGTH);
      return null;
    }
    return value;
  }

  /**
   * The key of a GET: one query parameter per key column (other parameters must have been removed).
   *
   * @throws InvalidRequestException naming every missing, unknown, repeated or unparsable parameter
   */
  public EntityKey fromQuery(Map<String, List<String>> params) {
    RequestProblems problems = new RequestProblems();
    Object[] values = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      String name = names.get(i);
      List<String> given = params.get(name);
      if (given == null || given.isEmpty()) {
        problems.add(name, "missing query parameter '" + name + "' (" + types[i].spec() + "); this GroupBy's keys are " + describe());
      } else if (given.size() > 1) {
        problems.add(name, "given " + given.size() + " times; one key per GET (POST a list for several)");
      } else {
        values[i] = bounded(TypedValues.fromText(given.getFirst(), types[i], name, problems), name, problems);
      }
    }
    for (String p : params.keySet()) {
      if (!names.contains(p)) problems.add(p, "unknown parameter '" + p + "'; this GroupBy's keys are " + describe() + " (and atMillis)");
    }
    problems.throwIfAny(groupBy);
    return entityKey(values);
  }

  private EntityKey entityKey(Object[] values) {
    Map<String, Object> byName = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) byName.put(names.get(i), values[i]);
    return new EntityKey(Arrays.asList(values), byName);
  }

  private String example() {
    return TypedValues.example(names, types);
  }
}
