package dev.tessera.stream.jobs;

/** The ways a job request can fail, each mapped to a problem type by the API. */
public sealed abstract class JobProblem extends RuntimeException {
  JobProblem(String message) {
    super(message);
  }

  public static final class GroupByNotFound extends JobProblem {
    GroupByNotFound(String name) {
      super("GroupBy '" + name + "' is not live in the registry (never published, or retired)");
    }

    GroupByNotFound(String name, int version) {
      super("GroupBy '" + name + "' has no version " + version + " that is live, being rolled out or has a job on this instance");
    }
  }

  public static final class NotOnline extends JobProblem {
    NotOnline(String name) {
      super("GroupBy '" + name + "' is not online (online: false): it has no streaming job. Publish it with online: true.");
    }
  }

  public static final class AlreadyRunning extends JobProblem {
    AlreadyRunning(String name, int version, JobState state) {
      super("the streaming job of GroupBy '" + name + "' version " + version + " is already " + state);
    }
  }

  public static final class JobNotFound extends JobProblem {
    JobNotFound(String name) {
      super("no streaming job for GroupBy '" + name + "'");
    }
  }

  public static final class NotReady extends JobProblem {
    NotReady() {
      super("the service has not read the registry and the job records yet (is Kafka reachable?); try again shortly");
    }
  }

  public static final class ServiceStopping extends JobProblem {
    /** @param inFlight the request was under way when the stop began (else it was refused before doing anything) */
    ServiceStopping(boolean inFlight) {
      super(inFlight
          ? "the service is stopping and Kafka did not confirm this request in time: it may not have been carried out; "
              + "check the job and repeat the request once the service is back"
          : "the service is stopping and starts no job now; repeat the request once it is back");
    }
  }
}
