package dev.tessera.agg.op;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.codec.ByteSink;
import dev.tessera.agg.codec.ByteSource;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What users see of AVG beyond the generic laws: equal values, decoded means and retraction next to huge values. */
class AverageTest {
  private final Average avg = new Average();

  @Test
  void theMeanOfEqualValuesIsThatValueExactlyAndStaysCloseAfterAHugeValueCameAndWent() {
    Random r = new Random(7);
    double[] awkward = {0.1, 1.0 / 3, 45.5, 0.7, 1e-300, 123456.789, -2.675};
    for (double x : awkward) {
      Average.Ir ir = avg.newIr();
      for (int n = 1; n <= 1000; n++) {
        avg.update(ir, x, n);
        assertThat(avg.finish(ir)).as("%s x %d", x, n).isEqualTo(x);
      }
    }
    for (int i = 0; i < 2000; i++) {
      double x = r.nextDouble() * Math.pow(10, r.nextInt(20) - 10);
      Average.Ir ir = avg.newIr();
      int n = 1 + r.nextInt(50);
      for (int k = 0; k < n; k++) avg.update(ir, x, k);
      assertThat(avg.finish(ir)).as("%s x %d", x, n).isEqualTo(x);
      avg.update(ir, 1e12, n);
      avg.retract(ir, 1e12, n);
      assertThat(avg.finish(ir)).as("%s x %d after retracting 1e12", x, n)
          .isCloseTo(x, org.assertj.core.data.Offset.offset(Math.abs(x) * 1e-12));
    }
  }

  @Test
  void aDecodedMeanFinishesToTheMeanThatWasWritten() {
    Random r = new Random(11);
    for (int i = 0; i < 2000; i++) {
      Average.Ir ir = avg.newIr();
      int n = 1 + r.nextInt(100);
      for (int k = 0; k < n; k++) avg.update(ir, r.nextGaussian() * 1000, k);
      ByteSink out = new ByteSink();
      avg.write(ir, out);
      byte[] bytes = out.toByteArray();
      assertThat(avg.finish(avg.read(new ByteSource(bytes)))).isEqualTo(avg.finish(ir));
      Average.Ir merged = avg.newIr();
      avg.mergeEncoded(merged, new ByteSource(bytes));
      assertThat(avg.finish(merged)).isEqualTo(avg.finish(ir));
    }
  }

  @Test
  void retractingAHugeValueLeavesTheSmallOnesMean() {
    Average.Ir ir = avg.newIr();
    avg.update(ir, 0.1, 1);
    avg.update(ir, 1e15 + 0.3, 2);
    avg.update(ir, 0.2, 3);
    avg.retract(ir, 1e15 + 0.3, 2);
    assertThat(avg.finish(ir)).isCloseTo(0.15, org.assertj.core.data.Offset.offset(1e-15));
  }
}
