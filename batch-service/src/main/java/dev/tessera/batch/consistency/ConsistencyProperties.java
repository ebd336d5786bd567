package dev.tessera.batch.consistency;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The consistency job's settings ({@code tessera.batch.consistency.*}); README "Consistency".
 *
 * @param logTable the ingested feature log (ingest {@code "format": "feature-log"})
 * @param deadLetterTable the ingested dead letters (ingest {@code "format": "dead-letter"}); lateness is only attributed when it exists
 * @param relativeTolerance floating values: |online - offline| <= this * max(1, |offline|)
 * @param momentsTolerance the same for SKEW and KURTOSIS
 * @param sketchErrors sketches: how many times their documented error a difference may be
 * @param samples mismatching rows kept per feature per run (and per partition while it runs)
 * @param schedule run daily for every online GroupBy (the previous UTC day)
 * @param cron when the daily run starts (Spring cron, UTC): set it after the daily upload
 */
@ConfigurationProperties("tessera.batch.consistency")
public record ConsistencyProperties(String logTable, String deadLetterTable, Double relativeTolerance, Double momentsTolerance,
    Double sketchErrors, Integer samples, Boolean schedule, String cron) {

  public ConsistencyProperties {
    logTable = logTable == null ? "tessera_feature_log" : logTable;
    deadLetterTable = deadLetterTable == null ? "tessera_deadletter" : deadLetterTable;
    relativeTolerance = relativeTolerance == null ? 1e-9 : relativeTolerance;
    momentsTolerance = momentsTolerance == null ? 1e-6 : momentsTolerance;
    sketchErrors = sketchErrors == null ? 3.0 : sketchErrors;
    samples = samples == null ? 20 : samples;
    schedule = schedule != null && schedule;
    cron = cron == null ? "0 30 1 * * *" : cron;
    for (var e : java.util.Map.of("relative-tolerance", relativeTolerance, "moments-tolerance", momentsTolerance,
        "sketch-errors", sketchErrors).entrySet()) {
      if (!(e.getValue() >= 0)) throw new IllegalArgumentException("tessera.batch.consistency." + e.getKey() + " must be 0 or more, was " + e.getValue());
    }
    if (samples < 0) throw new IllegalArgumentException("tessera.batch.consistency.samples must be 0 or more, was " + samples);
    if (schedule && !org.springframework.scheduling.support.CronExpression.isValidExpression(cron)) {
      throw new IllegalArgumentException("tessera.batch.consistency.cron is not a cron expression: " + cron);
    }
  }

  public ComparisonRule.Tolerances tolerances() {
    return new ComparisonRule.Tolerances(relativeTolerance, momentsTolerance, sketchErrors);
  }
}
