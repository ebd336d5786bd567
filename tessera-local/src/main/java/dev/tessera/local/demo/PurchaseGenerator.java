package dev.tessera.local.demo;

import java.util.SplittableRandom;

/**
 * Synthetic card purchases with a realistic shape: users of very different activity, merchants with
 * their own price levels, a daily rhythm (quiet nights, busy evenings), busier weekends, mostly USD,
 * and now and then a fraud-like burst of large purchases from one user.
 */
public final class PurchaseGenerator {
  /** One purchase event as the source schema has it. */
  public record Purchase(String userId, String merchant, double amount, String currency, long ts) {}

  private static final String[] MERCHANTS = {
      "amazon", "walmart", "target", "costco", "bestbuy", "apple", "ebay", "etsy", "ikea", "homedepot",
      "starbucks", "mcdonalds", "chipotle", "doordash", "ubereats", "uber", "lyft", "shell", "chevron", "exxon",
      "netflix", "spotify", "steam", "airbnb", "delta", "united", "marriott", "hilton", "cvs", "walgreens"};
  /** Median purchase in dollars per merchant, same order. */
  private static final double[] MEDIAN = {
      35, 45, 40, 120, 180, 250, 30, 25, 90, 70, 6, 9, 12, 28, 26, 18, 17, 45, 48, 46,
      15, 11, 20, 240, 320, 300, 210, 230, 22, 19};
  /** Share of purchases per hour of day (UTC), a typical evening-heavy curve. */
  private static final double[] HOUR_WEIGHT = {
      0.6, 0.4, 0.3, 0.2, 0.2, 0.3, 0.6, 1.0, 1.4, 1.6, 1.7, 1.9, 2.2, 2.0, 1.8, 1.8, 1.9, 2.2, 2.6, 2.8, 2.5, 2.0, 1.5, 1.0};

  private final SplittableRandom random;
  private final int users;
  private final double[] userRate;
  private final double[] hourCdf;
  private final double[] userCdf;

  public PurchaseGenerator(long seed, int users) {
    this(seed, seed, users);
  }

  /**
   * @param userSeed fixes who the users are (their activity and favourite merchants): the same seed
   *     gives the same population, so live traffic continues the history
   * @param eventSeed the stream of purchases
   */
  public PurchaseGenerator(long userSeed, long eventSeed, int users) {
    if (users < 1) throw new IllegalArgumentException("users must be at least 1");
    this.random = new SplittableRandom(eventSeed);
    this.users = users;
    this.userRate = new double[users];
    SplittableRandom r = new SplittableRandom(userSeed ^ 0x5DEECE66DL);
    for (int u = 0; u < users; u++) userRate[u] = Math.exp(r.nextGaussian() * 1.1) * 0.6;   // purchases per day
    userCdf = new double[users];
    double sum = 0;
    for (double rate : userRate) sum += rate;
    double cumulative = 0;
    for (int u = 0; u < users; u++) {
      cumulative += userRate[u] / sum;
      userCdf[u] = cumulative;
    }
    hourCdf = new double[24];
    double total = 0;
    for (double w : HOUR_WEIGHT) total += w;
    double acc = 0;
    for (int h = 0; h < 24; h++) {
      acc += HOUR_WEIGHT[h] / total;
      hourCdf[h] = acc;
    }
  }

  /** The median purchase at {@code merchant} in dollars (its price level), or NaN for a merchant the demo does not know. */
  public static double typicalAmount(String merchant) {
    for (int m = 0; m < MERCHANTS.length; m++) {
      if (MERCHANTS[m].equals(merchant)) return MEDIAN[m];
    }
    return Double.NaN;
  }

  public static String userId(int u) {
    return String.valueOf(1000 + u);
  }

  /** The purchases of one day starting at {@code dayStart} (UTC midnight), in no particular order. */
  public void day(long dayStart, java.util.function.Consumer<Purchase> out) {
    boolean weekend = ((dayStart / 86_400_000L) + 4) % 7 >= 5;   // 1970-01-01 was a Thursday
    for (int u = 0; u < users; u++) {
      double rate = userRate[u] * (weekend ? 1.3 : 1.0);
      int n = poisson(rate);
      for (int i = 0; i < n; i++) out.accept(purchase(u, dayStart + timeOfDay()));
    }
    if (random.nextInt(4) == 0) burst(dayStart + timeOfDay(), out);
  }

  /** The purchases of the interval {@code [from, to)} at the users' rates, for live traffic. */
  public void between(long from, long to, java.util.function.Consumer<Purchase> out) {
    double days = (to - from) / 86_400_000.0;
    for (int u = 0; u < users; u++) {
      int n = poisson(userRate[u] * days * hourFactor(from));
      for (int i = 0; i < n; i++) out.accept(purchase(u, from + (long) (random.nextDouble() * (to - from))));
    }
    if (random.nextInt(2000) == 0) burst(from, out);
  }

  private double hourFactor(long t) {
    int hour = (int) ((t / 3_600_000L) % 24);
    return HOUR_WEIGHT[hour] / (1.0 / 24 * java.util.Arrays.stream(HOUR_WEIGHT).sum()) ;
  }

  /** A stolen card: a quick run of large purchases at electronics and travel merchants. */
  private void burst(long start, java.util.function.Consumer<Purchase> out) {
    int u = random.nextInt(users);
    int n = 4 + random.nextInt(8);
    long t = start;
    for (int i = 0; i < n; i++) {
      t += 20_000 + random.nextInt(240_000);
      int m = random.nextBoolean() ? 4 + random.nextInt(2) : 23 + random.nextInt(3);
      out.accept(new Purchase(userId(u), MERCHANTS[m], round(MEDIAN[m] * (2 + random.nextDouble() * 6)), "USD", t));
    }
  }

  /** One purchase at {@code ts} by a user drawn by activity (busy users buy more often). */
  public Purchase next(long ts) {
    int u = java.util.Arrays.binarySearch(userCdf, random.nextDouble());
    return purchase(u < 0 ? Math.min(users - 1, -u - 1) : u, ts);
  }

  /** One purchase of user number {@code u} (0-based) at {@code ts}. */
  public Purchase purchase(int u, long ts) {
    int m = merchant(u);
    double amount = round(MEDIAN[m] * Math.exp(random.nextGaussian() * 0.6));
    String currency = random.nextInt(20) == 0 ? (random.nextBoolean() ? "EUR" : "GBP") : "USD";
    return new Purchase(userId(u), MERCHANTS[m], amount, currency, ts);
  }

  /** Users have favourite merchants: a few indices drawn from a per-user stream. */
  private int merchant(int u) {
    if (random.nextInt(3) > 0) {
      return (int) Math.floorMod((long) u * 2654435761L + random.nextInt(3) * 7L, MERCHANTS.length);
    }
    return random.nextInt(MERCHANTS.length);
  }

  private long timeOfDay() {
    double r = random.nextDouble();
    int h = 0;
    while (h < 23 && r > hourCdf[h]) h++;
    return h * 3_600_000L + random.nextLong(3_600_000L);
  }

  private int poisson(double lambda) {
    double l = Math.exp(-lambda);
    int k = 0;
    double p = 1;
    do {
      k++;
      p *= random.nextDouble();
    } while (p > l && k < 1000);
    return k - 1;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  public int users() {
    return users;
  }
}
