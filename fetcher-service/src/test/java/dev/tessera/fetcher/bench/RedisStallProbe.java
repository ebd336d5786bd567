package dev.tessera.fetcher.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * How often the machine stalls, before any figure is taken: one {@code PING} to Redis a
 * millisecond over a plain blocking socket, counting the replies that took more than 5 ms. On a
 * quiet machine there are none; on the shared machines of issue 6 there were dozens in 15 s while
 * Redis held the bench data, and a fixed-rate phase then measures those stalls more than the fetcher.
 */
final class RedisStallProbe {
  private RedisStallProbe() {}

  static void run(String host, int port, Duration length) throws IOException {
    byte[] ping = "PING\r\n".getBytes(StandardCharsets.US_ASCII);
    byte[] reply = new byte[64];
    long over5ms = 0, pings = 0, slowest = 0;
    try (Socket socket = new Socket()) {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), 2000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      long until = System.nanoTime() + length.toNanos();
      while (System.nanoTime() < until) {
        long t0 = System.nanoTime();
        out.write(ping);
        // "+PONG\r\n": read up to the line end
        int n = 0;
        while (n == 0 || reply[n - 1] != '\n') {
          int r = in.read(reply, n, reply.length - n);
          if (r < 0) throw new IOException("Redis closed the connection");
          n += r;
        }
        long took = System.nanoTime() - t0;
        pings++;
        if (took > 5_000_000) over5ms++;
        slowest = Math.max(slowest, took);
        LockSupport.parkNanos(1_000_000);
      }
    }
    System.out.printf(Locale.ROOT, "machine check: %d PINGs to Redis in %d s, one a millisecond: %d took more than 5 ms, the slowest %.1f ms%s%n",
        pings, length.toSeconds(), over5ms, slowest / 1e6,
        over5ms > length.toSeconds() ? " (stalls: tail latencies below measure the machine as much as the fetcher)" : "");
  }
}
