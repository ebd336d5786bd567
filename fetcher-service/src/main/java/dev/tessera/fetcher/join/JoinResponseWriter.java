package dev.tessera.fetcher.join;

import java.io.OutputStream;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a {@link JoinResponse} as the JSON the mapper's own serializers write for it (same names,
 * order, inclusion rules and number forms: {@code JoinResponseWriterTest} compares the two byte for
 * byte), straight to the response stream with the generator's calls. The mapper's record and map
 * serializers were about a tenth of a one-row Join's CPU (docs/benchmarks.md, "Fetcher CPU per Join
 * request"): per value a serializer look-up by class, per property an accessor call. A value that
 * is not a JSON scalar (a list, a map) is still handed to the mapper.
 */
final class JoinResponseWriter {
  /** The mapper's writer: its generator has the mapper's settings and can serialize any value. */
  private final ObjectWriter writer;

  JoinResponseWriter(JsonMapper json) {
    this.writer = json.writerFor(JoinResponse.class);
  }

  /** Writes {@code body} and closes {@code out}, as {@code ObjectWriter.writeValue(out, body)} does. */
  void write(JoinResponse body, OutputStream out) {
    try (JsonGenerator g = writer.createGenerator(out)) {
      g.writeStartObject();
      g.writeName("results");
      g.writeStartArray();
      for (JoinResponse.Result r : body.results()) result(g, r);
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  private static void result(JsonGenerator g, JoinResponse.Result r) {
    g.writeStartObject();
    g.writeName("status");
    if (r.status() == null) g.writeNull();
    else g.writeString(r.status().name());
    g.writeName("keys");
    map(g, r.keys());
    g.writeName("features");
    map(g, r.features());
    g.writeName("meta");
    meta(g, r.meta());
    g.writeEndObject();
  }

  private static void meta(JsonGenerator g, JoinResponse.Meta m) {
    if (m == null) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    g.writeNumberProperty("joinVersion", m.joinVersion());
    g.writeNumberProperty("asOf", m.asOf());
    g.writeName("parts");
    if (m.parts() == null) {
      g.writeNull();
    } else {
      g.writeStartObject();
      for (Map.Entry<String, JoinResponse.Part> e : m.parts().entrySet()) {
        g.writeName(e.getKey());
        part(g, e.getValue());
      }
      g.writeEndObject();
    }
    if (m.derivationErrors() != 0) g.writeNumberProperty("derivationErrors", m.derivationErrors()); // NON_DEFAULT
    g.writeEndObject();
  }

  private static void part(JsonGenerator g, JoinResponse.Part p) {
    if (p == null) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    g.writeName("groupBy");
    value(g, p.groupBy());
    g.writeNumberProperty("version", p.version());
    g.writeName("batchEnd");
    value(g, p.batchEnd());
    g.writeName("latestTileEnd");
    value(g, p.latestTileEnd());
    g.writeName("stale");
    value(g, p.stale());
    if (p.error() != null) g.writeStringProperty("error", p.error()); // NON_NULL
    g.writeEndObject();
  }

  private static void map(JsonGenerator g, Map<String, Object> values) {
    if (values == null) {
      g.writeNull();
      return;
    }
    g.writeStartObject();
    for (Map.Entry<String, Object> e : values.entrySet()) {
      g.writeName(e.getKey());
      value(g, e.getValue());
    }
    g.writeEndObject();
  }

  /** The scalars a row holds written as their serializers write them; anything else by the mapper. */
  private static void value(JsonGenerator g, Object v) {
    switch (v) {
      case null -> g.writeNull();
      case String s -> g.writeString(s);
      case Double d -> g.writeNumber(d.doubleValue());
      case Long l -> g.writeNumber(l.longValue());
      case Integer i -> g.writeNumber(i.intValue());
      case Boolean b -> g.writeBoolean(b);
      default -> g.writePOJO(v);
    }
  }
}
