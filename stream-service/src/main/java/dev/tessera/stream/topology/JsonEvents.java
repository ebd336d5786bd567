package dev.tessera.stream.topology;

import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a source record's value as a JSON object into plain Java values (String, Long/Integer/
 * BigInteger, Double, Boolean, List, Map): what a compiled source's coercion accepts.
 */
final class JsonEvents {
  private static final ObjectReader READER = JsonMapper.builder().build().readerFor(Map.class);

  /** The record is not a JSON object; the message says what it is instead. */
  static final class NotAnEvent extends Exception {
    NotAnEvent(String message) {
      super(message, null, false, false);
    }
  }

  private JsonEvents() {}

  static Map<String, Object> parse(byte[] value) throws NotAnEvent {
    int first = firstNonBlank(value);
    if (first < 0) throw new NotAnEvent("empty record: expected a JSON object");
    if (value[first] != '{') {
      throw new NotAnEvent("not a JSON object: the record starts with '" + (char) value[first] + "'");
    }
    try {
      Map<String, Object> event = READER.readValue(value);
      if (event == null) throw new NotAnEvent("not a JSON object");
      return event;
    } catch (JacksonException e) {
      throw new NotAnEvent("bad JSON: " + e.getOriginalMessage());
    }
  }

  private static int firstNonBlank(byte[] value) {
    for (int i = 0; i < value.length; i++) {
      byte b = value[i];
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') return i;
    }
    return -1;
  }
}
