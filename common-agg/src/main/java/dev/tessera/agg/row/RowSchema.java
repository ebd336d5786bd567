package dev.tessera.agg.row;

import dev.tessera.agg.definition.DataType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Names and types of the columns of a {@link Row}, in order. */
public final class RowSchema {
  private final List<String> names;
  private final List<DataType> types;
  private final Map<String, Integer> index;

  public RowSchema(Map<String, DataType> columns) {
    this.names = List.copyOf(columns.keySet());
    this.types = List.copyOf(columns.values());
    Map<String, Integer> idx = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) idx.put(names.get(i), i);
    this.index = Collections.unmodifiableMap(idx);
  }

  public int size() {
    return names.size();
  }

  public String name(int i) {
    return names.get(i);
  }

  public DataType type(int i) {
    return types.get(i);
  }

  /** Index of a column, or -1. */
  public int indexOf(String name) {
    Integer i = index.get(name);
    return i == null ? -1 : i;
  }

  public boolean has(String name) {
    return index.containsKey(name);
  }

  public DataType type(String name) {
    return types.get(indexOf(name));
  }

  public List<String> names() {
    return names;
  }

  public Map<String, DataType> asMap() {
    Map<String, DataType> m = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) m.put(names.get(i), types.get(i));
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RowSchema s && names.equals(s.names) && types.equals(s.types);
  }

  @Override
  public int hashCode() {
    return names.hashCode() * 31 + types.hashCode();
  }

  @Override
  public String toString() {
    return asMap().toString();
  }
}
