package dev.tessera.agg.op;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.codec.ByteSink;
import dev.tessera.agg.codec.ByteSource;
import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.definition.DataType.Primitive;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.testkit.FeatureComparison;
import dev.tessera.agg.testkit.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The IR laws, for every operation and every input type it takes, on random inputs: merging
 * partial IRs in any grouping and order finishes like one fold over all inputs; empty IRs are
 * identities; encodings round-trip byte for byte; copies are independent; clear really empties;
 * finish does not change an IR; retract undoes update where an operation is reversible.
 */
class AggregatorLawsTest {

  record Case(Operation op, DataType type, long seed) {
    @Override
    public String toString() {
      return op + "(" + type.spec() + ") seed " + seed;
    }
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (Operation op : Operation.values()) {
      for (Primitive type : List.of(Primitive.LONG, Primitive.DOUBLE, Primitive.STRING, Primitive.BOOLEAN)) {
        if (!op.accepts(type)) continue;
        Seeds.of(25).forEach(seed -> out.add(Arguments.of(new Case(op, type, seed ^ op.ordinal() * 31L ^ type.ordinal()))));
      }
    }
    return out.stream();
  }

  static Map<String, String> args(Operation op) {
    return switch (op) {
      case FIRST_K, LAST_K, TOP_K, BOTTOM_K, BOUNDED_UNIQUE_COUNT, APPROX_HISTOGRAM_K -> Map.of("k", "3");
      case APPROX_PERCENTILE -> Map.of("percentiles", "0.1,0.5,0.9");
      default -> Map.of();
    };
  }

  record Input(Object value, long ts) {}

  static List<Input> inputs(Random r, DataType type, int n) {
    List<Input> out = new ArrayList<>();
    long ts = 1_700_000_000_000L;
    for (int i = 0; i < n; i++) {
      ts += r.nextInt(4) == 0 ? 0 : r.nextInt(100_000);
      Object v = switch ((Primitive) type) {
        case LONG -> (long) (r.nextInt(40) - 10);
        case DOUBLE -> r.nextInt(5) == 0 ? 2.5 : Math.round(r.nextGaussian() * 10_000) / 100.0;
        case STRING -> "s" + r.nextInt(r.nextBoolean() ? 4 : 12);
        case BOOLEAN -> r.nextBoolean();
        default -> throw new IllegalArgumentException();
      };
      out.add(new Input(v, ts));
    }
    java.util.Collections.shuffle(out, r);
    return out;
  }

  @SuppressWarnings("unchecked")
  static <IR> Aggregator<Object, IR, Object> aggregator(Case c) {
    return (Aggregator<Object, IR, Object>) Aggregators.create(c.op(), c.type(), args(c.op()));
  }

  static <IR> IR fold(Aggregator<Object, IR, Object> a, List<Input> in) {
    IR ir = a.newIr();
    for (Input i : in) a.update(ir, i.value(), i.ts());
    return ir;
  }

  static void assertSameValue(Case c, Object expected, Object actual, String law) {
    String d = FeatureComparison.difference(expected, actual, FeatureComparison.tolerance(c.op()));
    assertThat(d).as("%s: %s", c, law).isNull();
  }

  static <IR> byte[] encode(Aggregator<Object, IR, Object> a, IR ir) {
    ByteSink out = new ByteSink();
    a.write(ir, out);
    return out.toByteArray();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  <IR> void mergeLaws(Case c) {
    Random r = new Random(c.seed());
    Aggregator<Object, IR, Object> a = aggregator(c);
    List<Input> all = inputs(r, c.type(), 1 + r.nextInt(150));
    int cut1 = r.nextInt(all.size() + 1);
    int cut2 = cut1 + r.nextInt(all.size() - cut1 + 1);
    List<Input> p1 = all.subList(0, cut1), p2 = all.subList(cut1, cut2), p3 = all.subList(cut2, all.size());
    Object whole = a.finish(fold(a, all));

    IR left = fold(a, p1);
    a.merge(left, fold(a, p2));
    a.merge(left, fold(a, p3));
    IR right = fold(a, p3);
    IR middle = fold(a, p2);
    a.merge(middle, right);
    IR first = fold(a, p1);
    a.merge(first, middle);
    assertSameValue(c, whole, a.finish(left), "(p1 + p2) + p3");
    assertSameValue(c, whole, a.finish(first), "p1 + (p2 + p3)");

    IR reversed = fold(a, p3);
    a.merge(reversed, fold(a, p2));
    a.merge(reversed, fold(a, p1));
    assertSameValue(c, whole, a.finish(reversed), "p3 + p2 + p1");

    IR withEmpty = fold(a, all);
    a.merge(withEmpty, a.newIr());
    IR emptyFirst = a.newIr();
    a.merge(emptyFirst, fold(a, all));
    assertSameValue(c, whole, a.finish(withEmpty), "x + empty");
    assertSameValue(c, whole, a.finish(emptyFirst), "empty + x");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  <IR> void encodingRoundTripsCopiesAreIndependentAndClearEmpties(Case c) {
    Random r = new Random(c.seed());
    Aggregator<Object, IR, Object> a = aggregator(c);
    List<Input> all = inputs(r, c.type(), 1 + r.nextInt(150));
    IR ir = fold(a, all);
    Object value = a.finish(ir);
    assertSameValue(c, value, a.finish(ir), "finish twice");

    byte[] bytes = encode(a, ir);
    IR decoded = a.read(new ByteSource(bytes));
    assertSameValue(c, value, a.finish(decoded), "decode(encode(x))");
    assertThat(encode(a, decoded)).as("%s: re-encoding", c).isEqualTo(bytes);

    IR copy = a.copy(ir);
    for (Input i : inputs(r, c.type(), 20)) a.update(copy, i.value(), i.ts());
    assertSameValue(c, value, a.finish(ir), "original after updating a copy");

    Object emptyValue = a.finish(a.newIr());
    a.clear(copy);
    assertThat(a.isEmpty(copy)).as("%s: isEmpty after clear", c).isTrue();
    assertSameValue(c, emptyValue, a.finish(copy), "finish after clear");
    for (Input i : all) a.update(copy, i.value(), i.ts());
    assertSameValue(c, value, a.finish(copy), "reuse after clear");
    assertThat(a.isEmpty(ir)).isFalse();
    assertThat(a.isEmpty(a.read(new ByteSource(encode(a, a.newIr()))))).as("%s: empty round trip", c).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  <IR> void mergingEncodedBytesEqualsMergingTheDecodedIrAndSkipReadsPastIt(Case c) {
    Random r = new Random(c.seed());
    Aggregator<Object, IR, Object> a = aggregator(c);
    List<Input> left = inputs(r, c.type(), r.nextInt(80));
    List<Input> right = inputs(r, c.type(), r.nextInt(80));
    IR viaObjects = fold(a, left);
    a.merge(viaObjects, fold(a, right));
    IR viaBytes = fold(a, left);
    ByteSink sink = new ByteSink();
    a.write(fold(a, right), sink);
    sink.writeByte(0x5A);
    byte[] bytes = sink.toByteArray();
    ByteSource in = new ByteSource(bytes);
    a.mergeEncoded(viaBytes, in);
    assertThat(in.readByte()).as("%s: mergeEncoded consumed exactly its bytes", c).isEqualTo(0x5A);
    assertSameValue(c, a.finish(viaObjects), a.finish(viaBytes), "mergeEncoded(x, bytes(y)) == merge(x, y)");
    ByteSource skipped = new ByteSource(bytes);
    a.skipEncoded(skipped);
    assertThat(skipped.readByte()).as("%s: skipEncoded consumed exactly its bytes", c).isEqualTo(0x5A);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  <IR> void retractUndoesUpdate(Case c) {
    Aggregator<Object, IR, Object> a = aggregator(c);
    if (!(a instanceof Reversible<Object, IR, Object> rev)) return;
    Random r = new Random(c.seed());
    List<Input> keep = inputs(r, c.type(), 1 + r.nextInt(60));
    List<Input> gone = inputs(r, c.type(), r.nextInt(60));
    IR ir = fold(a, keep);
    for (Input i : gone) a.update(ir, i.value(), i.ts());
    for (Input i : gone) rev.retract(ir, i.value(), i.ts());
    assertSameValue(c, a.finish(fold(a, keep)), a.finish(ir), "retract(update(x))");
  }
}
