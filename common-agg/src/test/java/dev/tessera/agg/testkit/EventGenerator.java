package dev.tessera.agg.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random purchase events shaped to find window bugs: a few users with very different activity,
 * bursts and quiet days, events exactly on hop and tile boundaries, events in the same
 * millisecond, repeated equal amounts, null amounts and null merchants. Deterministic per seed.
 */
public final class EventGenerator {
  public static final String SCHEMA_YAML = "{user_id: STRING, merchant: STRING, amount: DOUBLE, qty: LONG, currency: STRING, ts: LONG}";
  private static final String[] MERCHANTS = {"amazon", "apple", "ebay", "shell", "uber", "target", "costco", "walmart", "bestbuy", "lyft", "etsy", "ikea"};
  private static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;

  private final Random random;

  public EventGenerator(long seed) {
    this.random = new Random(seed);
  }

  /** Events of {@code users} users between {@code from} and {@code to}, unsorted. */
  public List<Map<String, Object>> purchases(int users, int events, long from, long to) {
    List<Map<String, Object>> out = new ArrayList<>(events);
    double[] weight = new double[users];
    for (int u = 0; u < users; u++) weight[u] = Math.pow(random.nextDouble(), 3) + 0.01;
    double total = 0;
    for (double w : weight) total += w;
    long span = to - from;
    long burstCentre = from + (long) (random.nextDouble() * span);
    for (int i = 0; i < events; i++) {
      int user = pick(weight, total);
      long ts = switch (random.nextInt(10)) {
        case 0 -> alignedNear(from, span, 5 * MINUTE);
        case 1 -> alignedNear(from, span, HOUR);
        case 2 -> alignedNear(from, span, DAY);
        case 3, 4 -> Math.min(to - 1, Math.max(from, burstCentre + (long) (random.nextGaussian() * 2 * HOUR)));
        default -> from + (long) (random.nextDouble() * span);
      };
      if (i > 0 && random.nextInt(12) == 0) ts = (long) out.get(random.nextInt(out.size())).get("ts");
      out.add(event("u" + user, ts));
    }
    return out;
  }

  private long alignedNear(long from, long span, long unit) {
    long t = Math.floorDiv(from + (long) (random.nextDouble() * span), unit) * unit;
    return t + switch (random.nextInt(3)) {
      case 0 -> -1;
      case 1 -> 0;
      default -> 1;
    };
  }

  private int pick(double[] weight, double total) {
    double r = random.nextDouble() * total;
    for (int i = 0; i < weight.length; i++) {
      r -= weight[i];
      if (r <= 0) return i;
    }
    return weight.length - 1;
  }

  private Map<String, Object> event(String user, long ts) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("user_id", user);
    e.put("merchant", random.nextInt(25) == 0 ? null : MERCHANTS[random.nextInt(random.nextBoolean() ? 3 : MERCHANTS.length)]);
    double amount = switch (random.nextInt(6)) {
      case 0 -> 10.0;
      case 1 -> Math.round(random.nextDouble() * 1_000_000) / 100.0;
      default -> Math.round(Math.exp(random.nextGaussian() * 1.2 + 3.5) * 100) / 100.0;
    };
    e.put("amount", random.nextInt(20) == 0 ? null : amount);
    e.put("qty", (long) (1 + random.nextInt(5)));
    e.put("currency", random.nextInt(4) == 0 ? "EUR" : "USD");
    e.put("ts", ts);
    return e;
  }

  public long nextLong(long fromInclusive, long toExclusive) {
    return fromInclusive + (long) (random.nextDouble() * (toExclusive - fromInclusive));
  }

  public Random random() {
    return random;
  }
}
