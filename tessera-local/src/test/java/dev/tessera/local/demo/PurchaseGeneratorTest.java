package dev.tessera.local.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PurchaseGeneratorTest {
  private static final long DAY = 86_400_000L;
  private static final long MONDAY = 20_412 * DAY;   // 2025-11-17, a Monday

  private static List<PurchaseGenerator.Purchase> days(PurchaseGenerator g, int n) {
    List<PurchaseGenerator.Purchase> out = new ArrayList<>();
    for (int d = 0; d < n; d++) g.day(MONDAY + d * DAY, out::add);
    return out;
  }

  @Test
  void theSameSeedsGiveTheSamePurchases() {
    assertThat(days(new PurchaseGenerator(1, 2, 200), 3)).isEqualTo(days(new PurchaseGenerator(1, 2, 200), 3));
    assertThat(days(new PurchaseGenerator(1, 3, 200), 3)).isNotEqualTo(days(new PurchaseGenerator(1, 2, 200), 3));
  }

  @Test
  void purchasesFollowADailyRhythmAndStayInsideTheirDay() {
    List<PurchaseGenerator.Purchase> all = days(new PurchaseGenerator(7, 7, 1000), 28);
    int[] byHour = new int[24];
    for (PurchaseGenerator.Purchase p : all) {
      assertThat(p.ts()).isBetween(MONDAY, MONDAY + 28 * DAY - 1);
      byHour[(int) ((p.ts() % DAY) / 3_600_000L)]++;
    }
    assertThat(byHour[19]).as("evening vs night").isGreaterThan(5 * byHour[3]);
    assertThat(all).allSatisfy(p -> {
      assertThat(p.amount()).isPositive();
      assertThat(p.currency()).isIn("USD", "EUR", "GBP");
      assertThat(Integer.parseInt(p.userId())).isBetween(1000, 1999);
    });
    assertThat(all.stream().filter(p -> p.currency().equals("USD")).count()).isGreaterThan(all.size() * 8L / 10);
  }

  @Test
  void livePurchasesComeFromActiveUsersMoreOften() {
    PurchaseGenerator g = new PurchaseGenerator(7, 8, 1000);
    long[] historyCount = new long[1000];
    for (PurchaseGenerator.Purchase p : days(new PurchaseGenerator(7, 9, 1000), 60)) historyCount[Integer.parseInt(p.userId()) - 1000]++;
    long liveOfBusiest = 0, liveOfQuietest = 0;
    int busiest = 0, quietest = 0;
    for (int u = 0; u < 1000; u++) {
      if (historyCount[u] > historyCount[busiest]) busiest = u;
      if (historyCount[u] < historyCount[quietest]) quietest = u;
    }
    for (int i = 0; i < 50_000; i++) {
      int u = Integer.parseInt(g.next(MONDAY).userId()) - 1000;
      if (u == busiest) liveOfBusiest++;
      if (u == quietest) liveOfQuietest++;
    }
    assertThat(liveOfBusiest).isGreaterThan(liveOfQuietest);
  }
}
