package dev.tessera.fetcher.join;

import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.agg.join.OutputColumn;
import dev.tessera.fetcher.fetch.InvalidRequestException;
import dev.tessera.fetcher.fetch.KeySchema;
import dev.tessera.fetcher.fetch.RequestProblems;
import dev.tessera.fetcher.fetch.TypedValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What one row of a Join fetch must hold (DESIGN-joins.md "Online"): every left column a part maps
 * to a GroupBy key (never null online: a null key would be an unknown entity, which a caller asking
 * for features does not mean) and every request field (JSON null allowed), each of its type in
 * {@code left.schema}, and nothing else. Values are typed as {@link TypedValues} types them, so a
 * key encodes to the Redis key the pipelines wrote and a request field reaches the derivations as
 * the training set gives it.
 */
final class JoinRequestSchema {
  private final String join;
  /** The key columns, then the request fields that are not key columns. */
  private final List<String> names;
  private final DataType[] types;
  private final int keyCount;
  private final Map<String, String> described;

  JoinRequestSchema(CompiledJoin join) {
    this.join = join.name();
    Map<String, DataType> left = join.definition().left().schema();
    List<String> n = new ArrayList<>(join.keyColumns());
    this.keyCount = n.size();
    for (OutputColumn c : join.requestColumns()) if (!n.contains(c.name())) n.add(c.name());
    this.names = List.copyOf(n);
    this.types = new DataType[names.size()];
    Map<String, DataType> requestTypes = new LinkedHashMap<>();
    join.requestColumns().forEach(c -> requestTypes.put(c.name(), c.type()));
    Map<String, String> d = new LinkedHashMap<>();
    for (int i = 0; i < types.length; i++) {
      String name = names.get(i);
      types[i] = left.containsKey(name) ? left.get(name) : requestTypes.get(name);
      d.put(name, types[i].spec() + (i < keyCount ? " key" : ""));
    }
    this.described = d;
  }

  /** A row as the caller gave it, typed: every field by name, and the key columns alone (for the response and the log). */
  record RequestRow(Map<String, Object> fields, Map<String, Object> keys) {}

  /**
   * The rows of a POST body: a JSON array of objects.
   *
   * @throws InvalidRequestException naming every bad field (up to 20) with its JSON path
   */
  List<RequestRow> fromJsonArray(JsonNode body, int maxRows) {
    if (body == null || !body.isArray()) {
      throw InvalidRequestException.malformedBody("expected a JSON array of request objects such as [" + example() + "], got "
          + TypedValues.kindOf(body), null);
    }
    if (body.size() > maxRows) throw InvalidRequestException.tooManyKeys(body.size(), maxRows, null);
    RequestProblems problems = new RequestProblems();
    List<RequestRow> rows = new ArrayList<>(body.size());
    for (int r = 0; r < body.size(); r++) {
      JsonNode node = body.get(r);
      String path = "$[" + r + "]";
      if (node == null || !node.isObject()) {
        problems.add(path, "expected a request object such as " + example() + ", got " + TypedValues.kindOf(node));
        continue;
      }
      Object[] values = new Object[types.length];
      for (int i = 0; i < types.length; i++) {
        String name = names.get(i);
        JsonNode v = node.get(name);
        if (v == null || v.isMissingNode()) problems.add(path, "missing " + what(i) + " '" + name + "' (" + types[i].spec() + "); " + expected());
        else if (v.isNull() && i < keyCount) problems.add(path + "." + name, "is null; a key column needs a value online");
        else if (!v.isNull()) values[i] = KeySchema.bounded(TypedValues.fromJson(v, types[i], what(i), path + "." + name, problems), path + "." + name, problems);
      }
      for (String given : node.propertyNames()) {
        if (!names.contains(given)) problems.add(path + "." + given, "unknown field '" + given + "'; " + expected());
      }
      if (problems.count() == 0) rows.add(row(values));
    }
    problems.throwIfAnyInRows();
    return rows;
  }

  /**
   * The one row of a GET: one query parameter per field ({@code atMillis} removed). A request field
   * cannot be null here; POST a row with a JSON null for that.
   *
   * @throws InvalidRequestException naming every missing, unknown, repeated or unparsable parameter
   */
  RequestRow fromQuery(Map<String, List<String>> params) {
    RequestProblems problems = new RequestProblems();
    Object[] values = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      String name = names.get(i);
      List<String> given = params.get(name);
      if (given == null || given.isEmpty()) problems.add(name, "missing query parameter '" + name + "' (" + types[i].spec() + "); " + expected());
      else if (given.size() > 1) problems.add(name, "given " + given.size() + " times; one row per GET (POST a list for several)");
      else values[i] = KeySchema.bounded(TypedValues.fromText(given.getFirst(), types[i], name, problems), name, problems);
    }
    for (String p : params.keySet()) {
      if (!names.contains(p)) problems.add(p, "unknown parameter '" + p + "'; " + expected() + " (and atMillis)");
    }
    problems.throwIfAnyInRows();
    return row(values);
  }

  private RequestRow row(Object[] values) {
    Map<String, Object> fields = LinkedHashMap.newLinkedHashMap(values.length);
    Map<String, Object> keys = LinkedHashMap.newLinkedHashMap(keyCount);
    for (int i = 0; i < values.length; i++) {
      fields.put(names.get(i), values[i]);
      if (i < keyCount) keys.put(names.get(i), values[i]);
    }
    return new RequestRow(fields, keys);
  }

  private String what(int i) {
    return i < keyCount ? "key column" : "request field";
  }

  private String expected() {
    return "a row of Join '" + join + "' holds " + described;
  }

  private String example() {
    return TypedValues.example(names, types);
  }

}
