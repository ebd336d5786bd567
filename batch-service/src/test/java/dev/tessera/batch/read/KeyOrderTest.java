package dev.tessera.batch.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyOrderTest {

  @Test
  void stringsSortByCodePointLikeTheWarehouseNotByUtf16() {
    String bmpHigh = "\uFFFD";          // U+FFFD: one UTF-16 unit above every surrogate
    String astral = "\uD83D\uDE00";      // U+1F600: a surrogate pair, below U+FFFD in UTF-16 order
    assertThat(astral.compareTo(bmpHigh)).as("Java's UTF-16 order").isLessThan(0);
    assertThat(KeyOrder.compareValues(astral, bmpHigh)).as("code point order (UTF-8 bytes)").isGreaterThan(0);
    assertThat(KeyOrder.compareValues("a", "b")).isNegative();
    assertThat(KeyOrder.compareValues("ab", "a")).isPositive();
    assertThat(KeyOrder.compareValues("B", "a")).as("binary, not case-insensitive").isNegative();
  }

  @Test
  void sortingWithKeyOrderMatchesUtf8ByteOrder() {
    List<String> values = new ArrayList<>(List.of("z", "é", "\uD83D\uDE00", "\uFFFD", "a", "", "ab", "\u00FF", "\uE000"));
    List<String> byKeyOrder = new ArrayList<>(values);
    byKeyOrder.sort(KeyOrder::compareValues);
    List<String> byBytes = new ArrayList<>(values);
    byBytes.sort((x, y) -> Arrays.compareUnsigned(x.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        y.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(byKeyOrder).isEqualTo(byBytes);
  }

  @Test
  void numbersBooleansAndNulls() {
    assertThat(KeyOrder.compareValues(2L, 10L)).isNegative();
    assertThat(KeyOrder.compareValues(-1.5, 1L)).isNegative();
    assertThat(KeyOrder.compareValues(false, true)).isNegative();
    assertThat(KeyOrder.compareValues(null, "a")).as("nulls last").isPositive();
    assertThat(KeyOrder.compare(List.of("a", 2L), List.of("a", 10L))).isNegative();
    assertThat(KeyOrder.compare(List.of("b", 1L), List.of("a", 10L))).isPositive();
  }

  @Test
  void jdbcValuesNormaliseToTheFormsRowsCarry() {
    assertThat(KeyOrder.normalize(7)).isEqualTo(7L);
    assertThat(KeyOrder.normalize((short) 7)).isEqualTo(7L);
    assertThat(KeyOrder.normalize(BigInteger.valueOf(7))).isEqualTo(7L);
    assertThat(KeyOrder.normalize(new BigDecimal("7.000"))).isEqualTo(7L);
    assertThat(KeyOrder.normalize(new BigDecimal("7.5"))).isEqualTo(7.5);
    assertThat(KeyOrder.normalize(1.5f)).isEqualTo(1.5);
    assertThat(KeyOrder.normalize("x")).isEqualTo("x");
    assertThat(KeyOrder.normalize((Object) null)).isNull();
  }
}
