package dev.tessera.agg.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.expr.SourceResult;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.row.RowIr;
import dev.tessera.agg.tile.BatchIr;
import dev.tessera.agg.tile.BatchIrBuilder;
import dev.tessera.agg.tile.OnlineMerge;
import dev.tessera.agg.tile.Tile;
import dev.tessera.agg.testkit.NaiveAggregator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The IR byte formats are an API between writers (batch upload, stream) and the reader (fetcher):
 * golden files pin them, and anything that is not an IR of this GroupBy is refused loudly.
 * Regenerate the golden files only on purpose, with a new format byte:
 * {@code ./mvnw test -pl common-agg -Dtest=IrCodecTest -Dtessera.golden.update=true}.
 */
class IrCodecTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final long B = 1_717_286_400_000L; // 2024-06-02T00:00Z
  private static final long T = B + 6 * 3_600_000L;
  private static final CompiledGroupBy G = load();

  private static CompiledGroupBy load() {
    try (var in = IrCodecTest.class.getResourceAsStream("/definitions/every_operation.yaml")) {
      return GroupByCompiler.compile(new String(in.readAllBytes(), StandardCharsets.UTF_8)).orThrow();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Fixed events of one user: written out by formula so that the golden bytes never drift. */
  static List<Row> rows() {
    String[] merchants = {"amazon", "apple", "ebay", "shell"};
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("user_id", "u1");
      e.put("merchant", i % 7 == 3 ? null : merchants[(i * i) % 4]);
      e.put("amount", i % 11 == 5 ? null : (i * 37 % 101) + 0.25);
      e.put("qty", (long) (i % 5 + 1));
      e.put("currency", i % 3 == 0 ? "EUR" : "USD");
      e.put("ts", B - 9L * 86_400_000L + i * 15_731_077L);
      out.add(((SourceResult.Accepted) G.apply(0, e)).row());
    }
    return out;
  }

  private static BatchIr batch() {
    return new BatchIrBuilder(G, B).addAll(rows().stream().filter(r -> r.ts() < B).toList()).build();
  }

  /** Not a real 5-minute tile: every row of [B, T) in one IR, which the merge treats alike. */
  private static RowIr tile() {
    RowIr ir = G.aggregator().newIr();
    rows().stream().filter(r -> r.ts() >= B && r.ts() < T).forEach(r -> G.aggregator().update(ir, r));
    return ir;
  }

  @Test
  void encodingsMatchTheGoldenFilesByteForByte() throws IOException {
    IrCodec codec = new IrCodec(G);
    byte[] tile = codec.encodeTile(tile());
    byte[] batch = codec.encodeBatch(batch());
    if (Boolean.getBoolean("tessera.golden.update")) {
      Files.write(GOLDEN.resolve("every_operation.tile.v1.bin"), tile);
      Files.write(GOLDEN.resolve("every_operation.batch.v1.bin"), batch);
    }
    assertThat(tile).isEqualTo(Files.readAllBytes(GOLDEN.resolve("every_operation.tile.v1.bin")));
    assertThat(batch).isEqualTo(Files.readAllBytes(GOLDEN.resolve("every_operation.batch.v1.bin")));
    assertThat(tile[0]).isEqualTo((byte) IrCodec.TILE_V1);
    assertThat(batch[0]).isEqualTo((byte) IrCodec.BATCH_V1);
  }

  @Test
  void goldenFilesDecodeToTheOracleValues() throws IOException {
    IrCodec codec = new IrCodec(G);
    BatchIr batch = codec.decodeBatch(Files.readAllBytes(GOLDEN.resolve("every_operation.batch.v1.bin")));
    RowIr tile = codec.decodeTile(Files.readAllBytes(GOLDEN.resolve("every_operation.tile.v1.bin")));
    var served = new OnlineMerge(G).merge(batch, List.of(new Tile(B, tile)), T).features();
    var expected = new NaiveAggregator(G).valuesAt(rows(), T);
    expected.forEach((name, value) -> {
      if (!name.contains("approx_")) {
        assertThat(dev.tessera.agg.testkit.FeatureComparison.difference(value, served.get(name), 1e-6)).as(name).isNull();
      }
    });
    assertThat(batch.end()).isEqualTo(B);
  }

  @Test
  void refusesAnUnknownFormatByte() {
    IrCodec codec = new IrCodec(G);
    byte[] tile = codec.encodeTile(tile());
    tile[0] = 0x7F;
    assertThatThrownBy(() -> codec.decodeTile(tile)).isInstanceOf(IrFormatException.class).hasMessageContaining("format byte 0x7f");
    byte[] batch = codec.encodeBatch(batch());
    assertThatThrownBy(() -> codec.decodeTile(batch)).isInstanceOf(IrFormatException.class).hasMessageContaining("expected 0x1");
  }

  @Test
  void refusesBytesWrittenForAnotherLayout() {
    CompiledGroupBy other = GroupByCompiler.compile("""
        name: other
        keys: [user_id]
        sources: [{events: {table: t, schema: {user_id: STRING, amount: DOUBLE, ts: LONG}, query: {timeColumn: ts}}}]
        aggregations: [{inputColumn: amount, operation: SUM, windows: [1h]}]
        """).orThrow();
    byte[] tile = new IrCodec(G).encodeTile(tile());
    assertThatThrownBy(() -> new IrCodec(other).decodeTile(tile)).isInstanceOf(IrFormatException.class)
        .hasMessageContaining("another column layout");
  }

  @Test
  void refusesTruncatedAndTrailingBytes() {
    IrCodec codec = new IrCodec(G);
    byte[] batch = codec.encodeBatch(batch());
    assertThatThrownBy(() -> codec.decodeBatch(Arrays.copyOf(batch, batch.length - 3))).isInstanceOf(IrFormatException.class)
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> codec.decodeBatch(Arrays.copyOf(batch, batch.length + 2))).isInstanceOf(IrFormatException.class)
        .hasMessageContaining("unread bytes");
    assertThatThrownBy(() -> IrCodec.formatOf(new byte[0])).isInstanceOf(IrFormatException.class);
  }
}
