package dev.tessera.stream.it;

import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.stream.topology.TopologySettings;
import dev.tessera.support.LiveGroupBy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;


/**
 * A tiling job in a process of its own, for {@link CrashRecoveryIT} to kill with SIGKILL: no clean
 * close, no last commit, Redis writes of uncommitted work already done.
 *
 * <p>Arguments: bootstrap servers, a file with the PublishedGroupBy JSON, application id, state dir.
 */
public final class CrashableJob {
  private CrashableJob() {}

  public static void main(String[] args) throws Exception {
    PublishedGroupBy published = PublishedGroupBy.fromJson(Files.readString(Path.of(args[1])));
    LiveGroupBy live = new LiveGroupBy(published, GroupByCompiler.compile(published.definition()).orThrow());
    JobRunner job = new JobRunner(args[0], live, CrashRecoveryIT.settings(live.name()), args[2], Path.of(args[3]),
        CrashRecoveryIT.FAST_FAILOVER);
    while (!job.running()) Thread.sleep(50);
    System.out.println("RUNNING");
    System.out.flush();
    Thread.sleep(Duration.ofMinutes(10));
  }

}
