package dev.tessera.fetcher.bench;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * An open-loop HTTP/1.1 load driver, as wrk2 drives a server: requests are due at a fixed rate
 * whether or not earlier ones have been answered, each sent on a free keep-alive connection of a
 * pool, and each one's latency counts from the moment it was due. A server that falls behind
 * therefore shows its queue in the latencies (no coordinated omission), and a request that found
 * every connection busy waits for one with its clock running.
 *
 * <p>A closed loop at concurrency 16 keeps a two-core machine saturated, so its latencies are
 * mostly queueing (p50 is about 16 / throughput); a fixed rate below saturation shows the latency
 * a fetch has at that load. One thread sends (sleeping until each request is due), the calling
 * thread reads the answers on a selector and gives the connections back.
 */
final class FixedRateHttp {
  private FixedRateHttp() {}

  static LoadPhase.Result run(String name, int port, String path, int connections, int perSecond, Duration warmup,
      Duration measure, Supplier<byte[]> bodies) throws Exception {
    Recorder recorder = new Recorder(1, warmup, measure);
    ConcurrentLinkedDeque<EventLoopHttp.Conn> idle = new ConcurrentLinkedDeque<>();
    AtomicLong waitedForConnection = new AtomicLong();
    AtomicReference<Throwable> senderFailure = new AtomicReference<>();
    long cpuFrom = -1, cpuUntil;
    try (Selector selector = Selector.open()) {
      EventLoopHttp.Conn[] conns = new EventLoopHttp.Conn[connections];
      for (int i = 0; i < connections; i++) {
        conns[i] = new EventLoopHttp.Conn(EventLoopHttp.open(port));
        conns[i].channel.register(selector, SelectionKey.OP_READ, conns[i]);
        idle.push(conns[i]);
      }
      Thread sender = pace("fixed-rate-sender", perSecond, recorder.measureUntil, senderFailure, due -> {
        EventLoopHttp.Conn c = idle.poll();
        if (c == null) {
          if (due >= recorder.measureFrom) waitedForConnection.incrementAndGet();
          while ((c = idle.poll()) == null) LockSupport.parkNanos(20_000);
        }
        EventLoopHttp.send(c, path, bodies.get(), due);
        if (c.out.hasRemaining()) throw new IOException("a request did not fit into the socket's send buffer");
      });
      while (sender.isAlive() && senderFailure.get() == null) {
        if (cpuFrom < 0 && System.nanoTime() >= recorder.measureFrom) cpuFrom = LoadPhase.processCpuNanos();
        selector.select(10);
        for (SelectionKey key : selector.selectedKeys()) {
          if (EventLoopHttp.readAnswer(key, recorder, port) != null) idle.push((EventLoopHttp.Conn) key.attachment());
        }
        selector.selectedKeys().clear();
      }
      cpuUntil = LoadPhase.processCpuNanos();
      sender.join();
      for (EventLoopHttp.Conn c : conns) c.channel.close();
    }
    if (senderFailure.get() != null) throw new IOException("the sender failed", senderFailure.get());
    if (waitedForConnection.get() > 0) {
      System.out.printf(java.util.Locale.ROOT, "  %s: %d requests found all %d connections busy (their wait is in their latency)%n", name,
          waitedForConnection.get(), connections);
    }
    return recorder.result(name, connections, cpuUntil - cpuFrom);
  }

  /** Sends one request due at {@code due} ({@link System#nanoTime()}). */
  interface Send {
    void at(long due) throws Exception;
  }

  /**
   * A platform thread that calls {@code send} at {@code perSecond} due times until {@code until},
   * sleeping in between; a daemon, so that a phase that fails on the reading side cannot keep the
   * JVM alive with a sender waiting for a free connection.
   */
  static Thread pace(String name, int perSecond, long until, AtomicReference<Throwable> failure, Send send) {
    if (perSecond <= 0) throw new IllegalArgumentException("a rate must be > 0 requests per second, was " + perSecond);
    long interval = 1_000_000_000L / perSecond;
    return Thread.ofPlatform().name(name).daemon(true).start(() -> {
      try {
        for (long due = System.nanoTime(); due < until; due += interval) {
          for (long wait; (wait = due - System.nanoTime()) > 0; ) LockSupport.parkNanos(wait);
          send.at(due);
        }
      } catch (Throwable e) {
        failure.set(e);
      }
    });
  }
}
