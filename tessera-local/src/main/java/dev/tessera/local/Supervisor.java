package dev.tessera.local;

import java.io.IOException;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.Map;

/**
 * Keeps the stack's services running: a service that dies (a crash, an out-of-memory kill, a
 * {@code kill -9}) is started again after a backoff that doubles with each death in a row (1 s, 2 s,
 * 4 s, ... at most {@link #MAX_BACKOFF_MILLIS}), and says so. A service that has stayed up for
 * {@link #STABLE_MILLIS} starts again from the shortest backoff. Time is passed in, so the policy is
 * tested without waiting.
 */
final class Supervisor {
  static final long FIRST_BACKOFF_MILLIS = 1_000;
  static final long MAX_BACKOFF_MILLIS = 60_000;
  static final long STABLE_MILLIS = 300_000;

  /** What the supervisor needs of the services: tested without child JVMs. */
  interface Children {
    boolean isAlive(Service s);

    /** Starts the service again; throws when it cannot (a port still taken, the jar gone). */
    void restart(Service s) throws IOException;

    /** The end of the service's log, for the message. */
    String tail(Service s);
  }

  private static final class State {
    int deathsInARow;
    long upSince = -1;
    long restartAt = -1;
  }

  private final Children children;
  private final PrintStream out;
  private final Map<Service, State> states = new EnumMap<>(Service.class);

  Supervisor(Children children, PrintStream out, long now) {
    this.children = children;
    this.out = out;
    for (Service s : Service.values()) {
      State st = new State();
      st.upSince = now;
      states.put(s, st);
    }
  }

  /** The wait before the {@code n}-th restart in a row (n from 1). */
  static long backoff(int n) {
    long d = FIRST_BACKOFF_MILLIS << Math.min(n - 1, 16);
    return Math.min(d, MAX_BACKOFF_MILLIS);
  }

  /** Looks at every service once: notices deaths, restarts those whose backoff is over. Returns the restarts. */
  int check(long now) {
    int restarted = 0;
    for (Service s : Service.values()) {
      State st = states.get(s);
      if (children.isAlive(s)) {
        if (st.upSince >= 0 && now - st.upSince >= STABLE_MILLIS) st.deathsInARow = 0;
        continue;
      }
      if (st.restartAt < 0) {
        if (st.upSince >= 0 && now - st.upSince >= STABLE_MILLIS) st.deathsInARow = 0;
        st.deathsInARow++;
        st.upSince = -1;
        long wait = backoff(st.deathsInARow);
        st.restartAt = now + wait;
        out.println(s.module() + " stopped unexpectedly; restarting it in " + wait / 1000 + " s (death " + st.deathsInARow
            + " in a row). The end of its log:\n" + children.tail(s));
        out.flush();
        continue;
      }
      if (now < st.restartAt) continue;
      try {
        children.restart(s);
        st.restartAt = -1;
        st.upSince = now;
        restarted++;
        out.println(s.module() + " restarted");
      } catch (IOException e) {
        st.deathsInARow++;
        long wait = backoff(st.deathsInARow);
        st.restartAt = now + wait;
        out.println(s.module() + " could not be restarted (" + e.getMessage() + "); trying again in " + wait / 1000 + " s");
      }
      out.flush();
    }
    return restarted;
  }
}
