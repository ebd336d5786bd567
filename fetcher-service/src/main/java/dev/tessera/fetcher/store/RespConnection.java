package dev.tessera.fetcher.store;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One blocking connection to Redis speaking RESP2, used by one read at a time ({@link RedisSockets}
 * lends it out). The reading thread, a virtual thread, writes its commands in one write and parses
 * the replies itself, straight from the socket's bytes into the fetch's arrays.
 *
 * <p>Why not Lettuce here: a shared Lettuce connection decodes every reply on its one Netty event
 * loop, element by element through a general state machine. For the fetcher, whose replies are
 * hundreds of tiles per key, that one thread was the bottleneck: on two cores the load generator's
 * bare Lettuce client topped out at 9-11k single-key reads per second, the same reads over
 * blocking connections parsed by the requesting threads at 19k (fetcher-service/README.md
 * "Benchmark").
 *
 * <p>Every read has a deadline. While the connection is lent ({@link #lend}), {@link
 * DeadlineWatchdog} closes it once the deadline has passed, which ends a blocked read or write with
 * a {@link SocketTimeoutException}; the handshake of a new connection waits with a socket timeout
 * instead. After any {@link IOException} the connection's state is unknown: close it.
 */
final class RespConnection implements Closeable {
  private static final byte[] CRLF = {'\r', '\n'};
  private static final int BUFFER = 64 * 1024;

  private final Socket socket;
  /** The TCP socket under {@link #socket} (the same one without TLS): closing it never blocks. */
  private final Socket transport;
  private final InputStream in;
  private final OutputStream out;
  private final byte[] buf;
  private int pos;
  private int lim;
  private byte[] request = new byte[1024];
  private int requestLength;
  private long deadline;
  private boolean reused;
  // the lending state, shared with the watchdog's thread
  private boolean lent;
  private long lentUntil;
  private boolean expired;

  private RespConnection(Socket socket, Socket transport, int bufferSize) throws IOException {
    this.socket = socket;
    this.transport = transport;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
    this.buf = new byte[bufferSize];
  }

  /** Connects, logs in and selects the database, all before {@code deadlineNanos} ({@link System#nanoTime()}). */
  static RespConnection open(RedisEndpoint endpoint, long deadlineNanos) throws IOException {
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) throw new SocketTimeoutException("no time left to connect to Redis at " + endpoint.where());
    int connectMillis = (int) Math.max(1, Math.min(endpoint.connectTimeout().toMillis(), TimeUnit.NANOSECONDS.toMillis(left)));
    Socket transport = new Socket();
    Socket socket = transport;
    try {
      socket.setTcpNoDelay(true);
      socket.setKeepAlive(true);
      socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), connectMillis);
      if (endpoint.ssl()) {
        SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(socket, endpoint.host(), endpoint.port(), true);
        // the certificate must name the host, as Lettuce checks by default (a raw SSLSocket does not)
        SSLParameters tlsParameters = tls.getSSLParameters();
        tlsParameters.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(tlsParameters);
        tls.setSoTimeout(connectMillis);
        tls.startHandshake();
        socket = tls;
      }
      RespConnection c = new RespConnection(socket, transport, BUFFER);
      // not lent yet, so not watched: the handshake waits with a socket timeout
      socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
      c.handshake(endpoint, deadlineNanos);
      socket.setSoTimeout(0);
      return c;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** A connection over a given socket, for tests of the protocol with a small buffer. */
  static RespConnection over(Socket socket, int bufferSize) throws IOException {
    return new RespConnection(socket, socket, bufferSize);
  }

  private void handshake(RedisEndpoint endpoint, long deadlineNanos) throws IOException {
    if (endpoint.password() != null) {
      if (endpoint.username() != null) command("AUTH", endpoint.username(), endpoint.password());
      else command("AUTH", endpoint.password());
    }
    if (endpoint.database() != 0) command("SELECT", Integer.toString(endpoint.database()));
    // shows up in CLIENT LIST, so an operator can tell the fetcher's connections apart
    command("CLIENT", "SETNAME", "tessera-fetcher");
    flush(deadlineNanos);
    int replies = (endpoint.password() != null ? 1 : 0) + (endpoint.database() != 0 ? 1 : 0) + 1;
    for (int i = 0; i < replies; i++) readSimple();
  }

  /** Whether this connection served a read before (and so may have been closed by Redis since). */
  boolean reused() {
    return reused;
  }

  void markReused() {
    reused = true;
  }

  /** Lent to a read that must end by {@code deadlineNanos}; {@link DeadlineWatchdog} watches it. */
  synchronized void lend(long deadlineNanos) {
    lent = true;
    lentUntil = deadlineNanos;
  }

  /** The read is over; false when the watchdog closed the connection first. */
  synchronized boolean endLend() {
    lent = false;
    return !expired;
  }

  /** Closes the connection when it is lent and its deadline has passed; true when it did. */
  synchronized boolean expireIfPast(long nowNanos) {
    if (!lent || expired || nowNanos - lentUntil < 0) return false;
    expired = true;
    // the TCP socket, not the TLS one: closing TLS would send close_notify, which waits for a
    // write that may be the very one blocked
    try {
      transport.close();
    } catch (IOException e) {
      // closing is all that is wanted
    }
    return true;
  }

  private synchronized boolean expired() {
    return expired;
  }

  /** An I/O failure, told as a time-out when the watchdog caused it by closing the socket. */
  private IOException failure(IOException e) {
    if (!expired()) return e;
    SocketTimeoutException timeout = new SocketTimeoutException("Redis did not answer in time");
    timeout.initCause(e);
    return timeout;
  }

  /** This end's port: tells the connection apart in Redis' {@code CLIENT LIST}. */
  int localPort() {
    return socket.getLocalPort();
  }

  // ---- writing: commands are collected, then written at once ----

  /** Queues a command of string arguments. */
  void command(String... args) {
    header('*', args.length);
    for (String a : args) bulk(a);
  }

  /** Queues a command of one key, e.g. {@code GET key}. */
  void keyCommand(String name, String key) {
    header('*', 2);
    bulk(name);
    bulk(key);
  }

  private void bulk(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    header('$', b.length);
    append(b);
    append(CRLF);
  }

  private void header(char type, int n) {
    ensureRequest(14);
    request[requestLength++] = (byte) type;
    if (n < 10) {
      request[requestLength++] = (byte) ('0' + n);
    } else {
      byte[] digits = Integer.toString(n).getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(digits, 0, request, requestLength, digits.length);
      requestLength += digits.length;
    }
    request[requestLength++] = '\r';
    request[requestLength++] = '\n';
  }

  private void append(byte[] b) {
    ensureRequest(b.length);
    System.arraycopy(b, 0, request, requestLength, b.length);
    requestLength += b.length;
  }

  private void ensureRequest(int more) {
    if (requestLength + more > request.length) request = Arrays.copyOf(request, Math.max(request.length * 2, requestLength + more));
  }

  /** Bytes queued and not yet written. */
  int pending() {
    return requestLength;
  }

  /** Writes the queued commands in one write; replies are then read until {@code deadlineNanos}. */
  void flush(long deadlineNanos) throws IOException {
    this.deadline = deadlineNanos;
    try {
      out.write(request, 0, requestLength);
      out.flush();
    } catch (IOException e) {
      throw failure(e);
    }
    requestLength = 0;
    // a large request's buffer is not kept for the life of the connection
    if (request.length > 64 * 1024) request = new byte[1024];
  }

  // ---- reading replies, in the order of the commands ----

  /**
   * A bulk string reply: its bytes, or null for a nil reply (no such key).
   *
   * @throws RedisReplyException when Redis answered this command with an error
   */
  byte[] readBulk() throws IOException {
    byte type = readByte();
    if (type == '-') throw new RedisReplyException(readLine());
    if (type != '$') throw unexpected(type, "a bulk string");
    int n = readLength();
    if (n < 0) return null;
    byte[] value = new byte[n];
    copyTo(value, 0, n);
    skipCrlf();
    return value;
  }

  /**
   * An {@code HGETALL} reply of a tiles hash, streamed into {@code tiles}: fields are parsed where
   * they lie in the buffer, values copied one after another into the tiles' array.
   *
   * @throws RedisReplyException when Redis answered this command with an error
   */
  void readTiles(TileOutput tiles) throws IOException {
    byte type = readByte();
    if (type == '-') throw new RedisReplyException(readLine());
    if (type != '*') throw unexpected(type, "an array");
    int n = readLength();
    if (n < 0) return;
    if (n % 2 != 0) throw new ProtocolException("a hash reply of " + n + " elements (not field/value pairs)");
    for (int i = 0; i < n; i += 2) {
      int fieldLength = bulkHeader();
      boolean keep;
      if (fieldLength + 2 <= buf.length) {
        require(fieldLength + 2);
        keep = tiles.field(buf, pos, fieldLength);
        pos += fieldLength;
      } else {
        byte[] field = new byte[fieldLength];
        copyTo(field, 0, fieldLength);
        keep = tiles.field(field, 0, fieldLength);
      }
      skipCrlf();
      int valueLength = bulkHeader();
      if (keep) {
        int at = tiles.startValue(valueLength);
        copyTo(tiles.bytes(), at, valueLength);
        tiles.endValue(valueLength);
      } else {
        copyTo(null, 0, valueLength);
      }
      skipCrlf();
    }
  }

  /** A status reply such as {@code +OK}. */
  String readSimple() throws IOException {
    byte type = readByte();
    if (type == '-') throw new RedisReplyException(readLine());
    if (type != '+') throw unexpected(type, "a status reply");
    return readLine();
  }

  /** The length of a bulk string element of an array; nil elements do not occur in hash replies. */
  private int bulkHeader() throws IOException {
    byte type = readByte();
    if (type != '$') throw unexpected(type, "a bulk string");
    int n = readLength();
    if (n < 0) throw new ProtocolException("a nil element in a hash reply");
    return n;
  }

  private ProtocolException unexpected(byte type, String expected) {
    return new ProtocolException("expected " + expected + " from Redis, got a reply starting with '" + (char) type + "'");
  }

  private byte readByte() throws IOException {
    if (pos == lim) fill();
    return buf[pos++];
  }

  /** The integer up to CRLF after a type byte ({@code $12}, {@code *576}, {@code $-1}). */
  private int readLength() throws IOException {
    boolean negative = false;
    long v = 0;
    int digits = 0;
    while (true) {
      byte b = readByte();
      if (b == '\r') break;
      if (b == '-' && digits == 0 && !negative) {
        negative = true;
      } else if (b >= '0' && b <= '9' && digits < 10) {
        v = v * 10 + (b - '0');
        digits++;
      } else {
        throw new ProtocolException("bad length in a reply from Redis: byte " + (b & 0xff));
      }
    }
    if (readByte() != '\n' || digits == 0) throw new ProtocolException("bad length line in a reply from Redis");
    if (negative) return -1;
    if (v > Integer.MAX_VALUE - 2) throw new ProtocolException("a reply of " + v + " bytes or elements");
    return (int) v;
  }

  /** A line up to CRLF (error and status replies), as text. */
  private String readLine() throws IOException {
    StringBuilder s = new StringBuilder();
    while (true) {
      byte b = readByte();
      if (b == '\r') {
        if (readByte() != '\n') throw new ProtocolException("a reply line from Redis without LF after CR");
        return s.toString();
      }
      if (s.length() < 4096) s.append((char) (b & 0xff));
    }
  }

  private void skipCrlf() throws IOException {
    if (readByte() != '\r' || readByte() != '\n') throw new ProtocolException("a bulk string from Redis not ended by CRLF");
  }

  /** Copies the next {@code n} bytes to {@code dst} from {@code at}, or skips them when {@code dst} is null. */
  private void copyTo(byte[] dst, int at, int n) throws IOException {
    int left = n;
    while (left > 0) {
      if (pos == lim) fill();
      int k = Math.min(left, lim - pos);
      if (dst != null) System.arraycopy(buf, pos, dst, at + n - left, k);
      pos += k;
      left -= k;
    }
  }

  /** Makes the next {@code n} bytes (at most the buffer's size) contiguous in the buffer. */
  private void require(int n) throws IOException {
    while (lim - pos < n) fill();
  }

  /** Reads more bytes, moving the unread ones to the front when the buffer's end is reached. */
  private void fill() throws IOException {
    if (pos == lim) {
      pos = 0;
      lim = 0;
    } else if (lim == buf.length) {
      System.arraycopy(buf, pos, buf, 0, lim - pos);
      lim -= pos;
      pos = 0;
    }
    if (deadline - System.nanoTime() <= 0) throw new SocketTimeoutException("Redis did not answer in time");
    int n;
    try {
      n = in.read(buf, lim, buf.length - lim);
    } catch (IOException e) {
      throw failure(e);
    }
    if (n < 0) throw new EOFException("Redis closed the connection");
    lim += n;
  }

  /** Unblocks a thread stuck in a read or write of this connection. */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing is all that is wanted
    }
  }
}
