package dev.tessera.fetcher.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A closed-loop HTTP/1.1 load driver on one thread, as wrk drives its connections: {@code
 * concurrency} keep-alive connections, each sending its next POST as soon as the answer to the
 * last one is in. One thread for all connections costs the shared machine one wake-up per batch
 * of answers instead of one thread and one wake-up per answer, so that on a two-core machine the
 * figures measure the server rather than the client's scheduling. Bodies with Content-Length only
 * (the fetcher's answers have one).
 */
final class EventLoopHttp {
  private EventLoopHttp() {}

  static final class Conn {
    SocketChannel channel;
    boolean closeAfter;
    ByteBuffer out;
    ByteBuffer in = ByteBuffer.allocate(16 * 1024);
    /** Written by the sending thread, read by the selector's ({@link FixedRateHttp}). */
    volatile long started;

    Conn(SocketChannel channel) {
      this.channel = channel;
    }
  }

  static LoadPhase.Result run(String name, int port, String path, int concurrency, Duration warmup, Duration measure,
      Supplier<byte[]> bodies) throws IOException {
    Recorder recorder = new Recorder(1, warmup, measure);
    long cpuFrom = -1, cpuUntil = -1;
    try (Selector selector = Selector.open()) {
      Conn[] conns = new Conn[concurrency];
      for (int i = 0; i < concurrency; i++) {
        SocketChannel ch = open(port);
        conns[i] = new Conn(ch);
        ch.register(selector, SelectionKey.OP_READ, conns[i]);
        send(conns[i], path, bodies.get());
      }
      while (true) {
        long now = System.nanoTime();
        if (cpuFrom < 0 && now >= recorder.measureFrom) cpuFrom = LoadPhase.processCpuNanos();
        if (now >= recorder.measureUntil) break;
        selector.select(10);
        for (SelectionKey key : selector.selectedKeys()) {
          Conn c = (Conn) key.attachment();
          if (key.isWritable()) {
            c.channel.write(c.out);
            if (!c.out.hasRemaining()) key.interestOps(SelectionKey.OP_READ);
          }
          if (!key.isReadable()) continue;
          key = readAnswer(key, recorder, port);
          if (key == null) continue;
          send(c, path, bodies.get());
          if (c.out.hasRemaining()) key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
        selector.selectedKeys().clear();
      }
      cpuUntil = LoadPhase.processCpuNanos();
      for (Conn c : conns) c.channel.close();
    }
    return recorder.result(name, concurrency, cpuUntil - cpuFrom);
  }

  /**
   * Reads what arrived on {@code key}'s connection. Once a whole answer is in, it is recorded and
   * the connection's key is returned (a new key when the server asked to close the connection);
   * otherwise null.
   */
  static SelectionKey readAnswer(SelectionKey key, Recorder recorder, int port) throws IOException {
    Conn c = (Conn) key.attachment();
    if (c.in.remaining() == 0) c.in = ByteBuffer.allocate(c.in.capacity() * 2).put(c.in.flip());
    if (c.channel.read(c.in) < 0) throw new IOException("the server closed a connection");
    int status = complete(c);
    if (status == 0) return null;
    long t1 = System.nanoTime();
    if (status != 200) recorder.failed(c.started, "status " + status);
    else recorder.succeeded(0, c.started, t1);
    c.in.clear();
    if (!c.closeAfter) return key;
    // the server's keep-alive limit: a new connection, as a client pool would open
    key.cancel();
    c.channel.close();
    c.channel = open(port);
    c.closeAfter = false;
    return c.channel.register(key.selector(), SelectionKey.OP_READ, c);
  }

  static SocketChannel open(int port) throws IOException {
    SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
    ch.configureBlocking(false);
    return ch;
  }

  private static void send(Conn c, String path, byte[] body) throws IOException {
    send(c, path, body, System.nanoTime());
  }

  /** Writes the request; its latency counts from {@code started} ({@link System#nanoTime()}). */
  static void send(Conn c, String path, byte[] body, long started) throws IOException {
    byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: application/json\r\n"
        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    c.out = ByteBuffer.allocate(head.length + body.length).put(head).put(body).flip();
    c.started = started;
    c.channel.write(c.out);
  }

  /** The status once the whole answer is in the connection's buffer (between 0 and its position), else 0. */
  static int complete(Conn c) throws IOException {
    ByteBuffer in = c.in;
    byte[] b = in.array();
    int end = in.position();
    int headerEnd = -1;
    for (int i = 3; i < end; i++) {
      if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
        headerEnd = i + 1;
        break;
      }
    }
    if (headerEnd < 0) return 0;
    String head = new String(b, 0, headerEnd, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
    if (head.contains("\r\ntransfer-encoding: chunked")) {
      // no pipelining and no trailers: the answer is complete when the buffer ends with the last chunk
      if (!endsWith(b, end, headerEnd, "0\r\n\r\n") || (end - 5 > headerEnd && !endsWith(b, end - 5, headerEnd, "\r\n"))) return 0;
    } else {
      int at = head.indexOf("\r\ncontent-length:");
      if (at < 0) throw new IOException("an answer with neither Content-Length nor chunks: " + head);
      int lineEnd = head.indexOf('\r', at + 2);
      int length = Integer.parseInt(head.substring(at + 17, lineEnd).trim());
      if (end < headerEnd + length) return 0;
      if (end > headerEnd + length) throw new IOException("more bytes than one answer (no pipelining here)");
    }
    c.closeAfter = head.contains("\r\nconnection: close");
    return Integer.parseInt(head.substring(9, 12));
  }

  private static boolean endsWith(byte[] b, int end, int from, String suffix) {
    if (end - suffix.length() < from) return false;
    for (int i = 0; i < suffix.length(); i++) if (b[end - suffix.length() + i] != suffix.charAt(i)) return false;
    return true;
  }
}
