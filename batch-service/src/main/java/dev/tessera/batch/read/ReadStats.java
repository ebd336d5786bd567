package dev.tessera.batch.read;

import dev.tessera.agg.accept.Refusal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What reading events found: rows read, accepted, filtered by a where, rejected (with counts per
 * reason and a few samples) and outside the time range (sources whose time is an expression are
 * range-checked after reading). Rejections are never silent: they land in the job report, counted
 * by text and by acceptance reason.
 */
public final class ReadStats {
  static final JsonMapper JSON = JsonMapper.builder().build();
  /** Reasons beyond this many distinct ones are counted under {@link #OTHER}. */
  static final int MAX_REASONS = 100;
  static final String OTHER = "(other reasons)";
  private static final Pattern VALUE_DESCRIPTION = Pattern.compile("(got an? \\w+) \\(.*\\)$");

  /** A rejected row as the report shows it. */
  public record Sample(String reason, String row) {}

  private long read;
  private long accepted;
  private long filtered;
  private long rejected;
  private long outOfRange;
  private final Map<String, Long> reasons = new LinkedHashMap<>();
  /** Rejections by acceptance reason ({@link Refusal#tag()}): the tags the stream's dead letters and metrics use. */
  private final Map<String, Long> refusals = new TreeMap<>();
  private final List<Sample> samples = new ArrayList<>();
  private final int maxSamples;

  public ReadStats(int maxSamples) {
    this.maxSamples = maxSamples;
  }

  public long read() {
    return read;
  }

  public long accepted() {
    return accepted;
  }

  public long filtered() {
    return filtered;
  }

  public long rejected() {
    return rejected;
  }

  public long outOfRange() {
    return outOfRange;
  }

  public Map<String, Long> reasons() {
    return reasons;
  }

  public Map<String, Long> refusals() {
    return refusals;
  }

  public List<Sample> samples() {
    return samples;
  }

  void countRead() {
    read++;
  }

  void countAccepted() {
    accepted++;
  }

  void countFiltered() {
    filtered++;
  }

  void countOutOfRange() {
    outOfRange++;
  }

  void countRejected(Refusal refusal, String reason, String row) {
    refusals.merge(refusal.tag(), 1L, Long::sum);
    countRejected(reason, row);
  }

  void countRejected(String reason, String row) {
    rejected++;
    String key = reasonKey(reason);
    if (reasons.containsKey(key) || reasons.size() < MAX_REASONS) reasons.merge(key, 1L, Long::sum);
    else reasons.merge(OTHER, 1L, Long::sum);
    if (samples.size() < maxSamples) samples.add(new Sample(reason, row));
  }

  /** The reason without the offending value, so that one kind of problem is counted once. */
  static String reasonKey(String reason) {
    return VALUE_DESCRIPTION.matcher(reason).replaceFirst("$1");
  }

  /** Counts without reasons or samples (from a step's standard counters). */
  public static ReadStats ofCounts(long read, long accepted, long filtered, long rejected, int maxSamples) {
    ReadStats s = new ReadStats(maxSamples);
    s.read = read;
    s.accepted = accepted;
    s.filtered = filtered;
    s.rejected = rejected;
    return s;
  }

  public void add(ReadStats other) {
    read += other.read;
    accepted += other.accepted;
    filtered += other.filtered;
    rejected += other.rejected;
    outOfRange += other.outOfRange;
    other.refusals.forEach((k, v) -> refusals.merge(k, v, Long::sum));
    other.reasons.forEach((k, v) -> {
      if (reasons.containsKey(k) || reasons.size() < MAX_REASONS) reasons.merge(k, v, Long::sum);
      else reasons.merge(OTHER, v, Long::sum);
    });
    for (Sample s : other.samples) {
      if (samples.size() >= maxSamples) break;
      samples.add(s);
    }
  }

  public void clear() {
    read = accepted = filtered = rejected = outOfRange = 0;
    reasons.clear();
    refusals.clear();
    samples.clear();
  }

  public ObjectNode toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("read", read);
    n.put("accepted", accepted);
    n.put("filtered", filtered);
    n.put("rejected", rejected);
    n.put("outOfRange", outOfRange);
    ObjectNode r = n.putObject("reasons");
    reasons.forEach(r::put);
    if (!refusals.isEmpty()) refusals.forEach(n.putObject("refusals")::put);
    ArrayNode s = n.putArray("samples");
    for (Sample sample : samples) s.addObject().put("reason", sample.reason()).put("row", sample.row());
    return n;
  }

  public static ReadStats fromJson(JsonNode n, int maxSamples) {
    ReadStats s = new ReadStats(maxSamples);
    if (n == null || n.isNull() || n.isMissingNode()) return s;
    s.read = n.path("read").asLong();
    s.accepted = n.path("accepted").asLong();
    s.filtered = n.path("filtered").asLong();
    s.rejected = n.path("rejected").asLong();
    s.outOfRange = n.path("outOfRange").asLong();
    n.path("reasons").properties().forEach(e -> s.reasons.put(e.getKey(), e.getValue().asLong()));
    n.path("refusals").properties().forEach(e -> s.refusals.put(e.getKey(), e.getValue().asLong()));
    for (JsonNode sample : n.path("samples")) {
      if (s.samples.size() < Math.max(maxSamples, 0)) s.samples.add(new Sample(sample.path("reason").asString(), sample.path("row").asString()));
    }
    return s;
  }
}
