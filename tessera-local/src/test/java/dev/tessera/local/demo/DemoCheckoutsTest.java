package dev.tessera.local.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.local.demo.DemoCheckouts.Checkout;
import dev.tessera.local.demo.PurchaseGenerator.Purchase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCheckoutsTest {
  private static final long MINUTE = 60_000L;
  private static final long T0 = 1_764_000_000_000L;

  @TempDir
  Path dir;

  private static List<Checkout> label(List<Purchase> purchases) {
    DemoCheckouts.Labeler labeler = new DemoCheckouts.Labeler();
    purchases.stream().sorted(Comparator.comparing(Purchase::userId).thenComparingLong(Purchase::ts)).forEach(labeler::accept);
    return labeler.checkouts();
  }

  @Test
  void aLargePurchaseAfterTwoOthersWithinFifteenMinutesIsFraud() {
    double big = 3 * PurchaseGenerator.typicalAmount("apple");
    List<Checkout> out = label(List.of(
        new Purchase("1000", "bestbuy", 50, "USD", T0),
        new Purchase("1000", "apple", big, "USD", T0 + 4 * MINUTE),
        new Purchase("1000", "apple", big, "USD", T0 + 9 * MINUTE),          // two before it: fraud
        new Purchase("1000", "apple", big, "USD", T0 + 40 * MINUTE),         // the others are over 15 minutes old
        new Purchase("1001", "apple", 10, "USD", T0 + 2 * MINUTE),
        new Purchase("1001", "apple", 11, "USD", T0 + 3 * MINUTE),
        new Purchase("1001", "apple", 12, "USD", T0 + 5 * MINUTE)));         // a burst, but small: not fraud
    assertThat(out.stream().filter(c -> c.label() == 1).map(Checkout::ts)).containsExactly(T0 + 9 * MINUTE);
    Checkout fraud = out.stream().filter(c -> c.label() == 1).findFirst().orElseThrow();
    assertThat(fraud).extracting(Checkout::buyer, Checkout::shop, Checkout::amountNow).containsExactly("1000", "apple", big);
    assertThat(fraud.channel()).isIn("web", "app");
  }

  @Test
  void everyFraudIsKeptAndAboutOneInTwentyOfTheRestSameChoiceEveryTime() {
    List<Purchase> purchases = new ArrayList<>();
    PurchaseGenerator g = new PurchaseGenerator(3, 3, 2000);
    for (int d = 0; d < 28; d++) g.day(20_412 * 86_400_000L + d * 86_400_000L, purchases::add);
    List<Checkout> out = label(purchases);
    long frauds = out.stream().filter(c -> c.label() == 1).count();
    assertThat(frauds).as("the bursts of 28 days").isPositive();
    assertThat(out.size() - frauds).isBetween(purchases.size() / 25L, purchases.size() / 16L);
    assertThat(out).isSortedAccordingTo(Comparator.comparingLong(Checkout::ts));
    assertThat(out).extracting(Checkout::channel).containsOnly("app", "web", "pos");
    List<Purchase> shuffled = new ArrayList<>(purchases);
    java.util.Collections.shuffle(shuffled, new java.util.Random(1));
    assertThat(label(shuffled)).isEqualTo(out);
  }

  @Test
  void theTableHoldsTheCheckoutsOfTheDaysAskedForAndIsReplacedByAnotherRun() throws Exception {
    Path warehouse = dir.resolve("warehouse.duckdb");
    LocalDate from = LocalDate.of(2025, 11, 1);
    DemoHistory.write(warehouse, new PurchaseGenerator(5, 5, 300), from, from.plusDays(10), day -> {});
    long[] first = DemoCheckouts.write(warehouse, from.plusDays(3), from.plusDays(10));
    long[] again = DemoCheckouts.write(warehouse, from.plusDays(3), from.plusDays(10));
    assertThat(again).containsExactly(first);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + warehouse);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*), sum(label), min(ts), max(ts), count(DISTINCT channel) FROM checkouts")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(first[0]).isPositive();
      assertThat(rs.getLong(2)).isEqualTo(first[1]);
      assertThat(rs.getLong(3)).isGreaterThanOrEqualTo(from.plusDays(3).toEpochDay() * 86_400_000L);
      assertThat(rs.getLong(4)).isLessThan(from.plusDays(10).toEpochDay() * 86_400_000L);
      assertThat(rs.getLong(5)).isEqualTo(3);
    }
  }
}
