package dev.tessera.batch.system;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

/**
 * A process that dies mid-job leaves its execution marked as running in the job repository, which
 * would block restarting it (and, through the target check, every job writing the same output).
 * With one service instance per job repository (the default), nothing can be running when the
 * service starts, so such executions are marked FAILED and become restartable. Turn this off
 * ({@code tessera.batch.recover-on-startup=false}) when several instances share a repository.
 */
public class StartupRecovery implements ApplicationRunner {
  private static final Logger log = LoggerFactory.getLogger(StartupRecovery.class);

  private final JobRepository repository;
  private final JobOperator operator;
  private final List<Job> jobs;

  public StartupRecovery(JobRepository repository, JobOperator operator, List<Job> jobs) {
    this.repository = repository;
    this.operator = operator;
    this.jobs = jobs;
  }

  @Override
  public void run(ApplicationArguments args) {
    for (Job job : jobs) {
      for (JobExecution e : repository.findRunningJobExecutions(job.getName())) {
        log.warn("job {} (execution {}) was still marked {} from a previous run of the service: marking it FAILED so that it can be restarted",
            e.getJobInstanceId(), e.getId(), e.getStatus());
        operator.recover(e);
      }
    }
  }
}
