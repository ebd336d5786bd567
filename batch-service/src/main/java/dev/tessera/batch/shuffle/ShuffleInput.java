package dev.tessera.batch.shuffle;

import dev.tessera.batch.compute.ReadWindow;
import dev.tessera.batch.read.SourcePlan;
import java.util.List;
import org.springframework.batch.core.job.JobExecution;

/** What a job's scatter reads: its sources and the window of event times its keyed partitions will need. */
public interface ShuffleInput {
  List<SourcePlan> sources(JobExecution job);

  ReadWindow window(JobExecution job);
}
