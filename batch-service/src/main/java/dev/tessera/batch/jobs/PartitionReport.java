package dev.tessera.batch.jobs;

import dev.tessera.batch.read.ReadStats;
import java.time.LocalDateTime;
import java.util.Map;

/** One partition as the job report shows it: its latest step execution and its committed progress. */
public record PartitionReport(int partition, String status, LocalDateTime startTime, LocalDateTime endTime,
    long entities, long rowsWritten, long chunks, ReadStats stats, Map<String, Long> counters, String error) {}
