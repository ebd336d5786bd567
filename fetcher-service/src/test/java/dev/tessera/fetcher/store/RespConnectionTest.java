package dev.tessera.fetcher.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.agg.tile.PackedTiles;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The RESP2 reader and writer against a scripted peer on a loopback socket: the replies are
 * written by the test byte for byte, so that every kind of reply, a reply split across many
 * buffer fills, an error in the middle of a pipeline and a peer that never answers (or never
 * reads) can be checked, the last with {@link DeadlineWatchdog}. (Against a real Redis: {@code ReferenceVectorsFetchIT}, {@code FetchApiIT}, {@code RedisOutageIT}.)
 */
class RespConnectionTest {
  private ServerSocket server;
  private Socket peer;
  private RespConnection c;

  @AfterEach
  void close() throws IOException {
    if (c != null) c.close();
    if (peer != null) peer.close();
    if (server != null) server.close();
  }

  /** A connection with a read buffer of {@code bufferSize} bytes to a peer that sends {@code reply}. */
  private RespConnection connect(int bufferSize, String reply) throws Exception {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
      try {
        return server.accept();
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
    peer = accepted.get(5, TimeUnit.SECONDS);
    peer.getOutputStream().write(reply.getBytes(StandardCharsets.ISO_8859_1));
    peer.getOutputStream().flush();
    c = RespConnection.over(client, bufferSize);
    return c;
  }

  private static long in(Duration d) {
    return System.nanoTime() + d.toNanos();
  }

  @Test
  void commandsAreWrittenAsRespArraysOfBulkStringsInOneWrite() throws Exception {
    connect(64, "");
    c.keyCommand("GET", "tb:{g:1:k}");
    c.command("CLIENT", "SETNAME", "tessera-fetcher");
    String expected = "*2\r\n$3\r\nGET\r\n$10\r\ntb:{g:1:k}\r\n*3\r\n$6\r\nCLIENT\r\n$7\r\nSETNAME\r\n$15\r\ntessera-fetcher\r\n";
    assertThat(c.pending()).isEqualTo(expected.length());
    c.flush(in(Duration.ofSeconds(5)));
    assertThat(c.pending()).isZero();
    assertThat(readFromPeer(expected.length())).isEqualTo(expected);
  }

  @Test
  void utf8KeysAndLongArgumentsAreCountedInBytes() throws Exception {
    connect(64, "");
    String key = "tb:{g:1:zoë}" + "x".repeat(300);
    c.keyCommand("GET", key);
    String expected = "*2\r\n$3\r\nGET\r\n$" + key.getBytes(StandardCharsets.UTF_8).length + "\r\n" + key + "\r\n";
    int bytes = expected.getBytes(StandardCharsets.UTF_8).length;
    assertThat(c.pending()).isEqualTo(bytes).isGreaterThan(expected.length());
    c.flush(in(Duration.ofSeconds(5)));
    assertThat(readFromPeer(bytes)).isEqualTo(expected);
  }

  @Test
  void bulkRepliesNilsAndErrorsInOnePipelineStayInStep() throws Exception {
    connect(8, "$5\r\nhello\r\n$-1\r\n-WRONGTYPE Operation against a key holding the wrong kind of value\r\n$0\r\n\r\n+OK\r\n");
    c.flush(in(Duration.ofSeconds(5)));
    assertThat(c.readBulk()).asString(StandardCharsets.US_ASCII).isEqualTo("hello");
    assertThat(c.readBulk()).isNull();
    assertThatThrownBy(c::readBulk).isInstanceOfSatisfying(RedisReplyException.class, e -> {
      assertThat(e).hasMessageStartingWith("WRONGTYPE Operation");
      assertThat(e.concernsOneKey()).isTrue();
    });
    assertThat(c.readBulk()).isEmpty();
    assertThat(c.readSimple()).isEqualTo("OK");
  }

  @Test
  void aTilesHashStreamsIntoPackedTilesAcrossManyBufferFills() throws Exception {
    StringBuilder reply = new StringBuilder("*" + 2 * 50 + "\r\n");
    for (int i = 0; i < 50; i++) {
      String field = Long.toString(1_764_115_200_000L + i * 300_000L);
      String value = "v".repeat(i) + (char) i;
      reply.append('$').append(field.length()).append("\r\n").append(field).append("\r\n");
      reply.append('$').append(value.length()).append("\r\n").append(value).append("\r\n");
    }
    // 16 bytes: every 13-digit field and most values cross a buffer boundary somewhere
    connect(16, reply.toString());
    c.flush(in(Duration.ofSeconds(5)));
    TileOutput out = new TileOutput(4, 64);
    c.readTiles(out);
    PackedTiles tiles = out.tiles();
    assertThat(out.error()).isNull();
    assertThat(tiles.count()).isEqualTo(50);
    for (int i = 0; i < 50; i++) {
      assertThat(tiles.start(i)).isEqualTo(1_764_115_200_000L + i * 300_000L);
      assertThat(new String(tiles.ir(i), StandardCharsets.ISO_8859_1)).isEqualTo("v".repeat(i) + (char) i);
    }
  }

  @Test
  void aFieldLongerThanTheBufferIsNotATileStartAndItsValueIsSkipped() throws Exception {
    String longField = "y".repeat(40);
    connect(16, "*6\r\n$6\r\n300000\r\n$2\r\nab\r\n$40\r\n" + longField + "\r\n$3\r\nxyz\r\n$6\r\n600000\r\n$1\r\nc\r\n*0\r\n");
    c.flush(in(Duration.ofSeconds(5)));
    TileOutput out = new TileOutput(4, 64);
    c.readTiles(out);
    assertThat(out.error()).isEqualTo("tiles hash has a field that is not a tile start: '" + longField + "'");
    assertThat(out.tiles().count()).isEqualTo(2);
    assertThat(out.tiles().ir(1)).asString(StandardCharsets.US_ASCII).isEqualTo("c");
    TileOutput empty = new TileOutput(4, 64);
    c.readTiles(empty);
    assertThat(empty.tiles().count()).as("HGETALL of a missing key").isZero();
  }

  @Test
  void anErrorInsteadOfAHashIsAReplyError() throws Exception {
    connect(64, "-LOADING Redis is loading the dataset in memory\r\n");
    c.flush(in(Duration.ofSeconds(5)));
    assertThatThrownBy(() -> c.readTiles(new TileOutput(4, 64))).isInstanceOfSatisfying(RedisReplyException.class,
        e -> assertThat(e.concernsOneKey()).isFalse());
  }

  @Test
  void garbageIsAProtocolError() throws Exception {
    connect(64, ":12\r\n*3\r\n$1\r\na\r\n$1\r\nb\r\n$x\r\n");
    c.flush(in(Duration.ofSeconds(5)));
    assertThatThrownBy(c::readBulk).isInstanceOf(ProtocolException.class).hasMessageContaining("got a reply starting with ':'");
  }

  @Test
  void aHashOfOddLengthOrABadLengthIsAProtocolError() throws Exception {
    connect(64, "*3\r\n");
    c.flush(in(Duration.ofSeconds(5)));
    assertThatThrownBy(() -> c.readTiles(new TileOutput(4, 64))).isInstanceOf(ProtocolException.class).hasMessageContaining("3 elements");
  }

  @Test
  @Timeout(10) // without the watchdog this would hang
  void aPeerThatNeverAnswersTimesOutAtTheDeadline() throws Exception {
    connect(64, "$10\r\nonly");
    try (DeadlineWatchdog watchdog = new DeadlineWatchdog(Duration.ofMillis(5))) {
      long started = System.nanoTime();
      watchdog.lend(c, in(Duration.ofMillis(200)));
      c.flush(in(Duration.ofMillis(200)));
      assertThatThrownBy(c::readBulk).isInstanceOf(SocketTimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(150), Duration.ofSeconds(3));
      assertThat(watchdog.giveBack(c)).as("closed by the watchdog").isFalse();
    }
  }

  @Test
  @Timeout(10) // without the watchdog this would hang
  void aWriteThatAPeerNeverReadsTimesOutAtTheDeadline() throws Exception {
    connect(64, "");
    String big = "x".repeat(1 << 20);
    for (int i = 0; i < 32; i++) c.command("SET", "k", big);
    try (DeadlineWatchdog watchdog = new DeadlineWatchdog(Duration.ofMillis(5))) {
      watchdog.lend(c, in(Duration.ofMillis(200)));
      assertThatThrownBy(() -> c.flush(in(Duration.ofMillis(200)))).isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void aConnectionGivenBackBeforeItsDeadlineStaysOpen() throws Exception {
    connect(64, "+OK\r\n+OK\r\n");
    try (DeadlineWatchdog watchdog = new DeadlineWatchdog(Duration.ofMillis(1))) {
      watchdog.lend(c, in(Duration.ofMillis(30)));
      c.flush(in(Duration.ofMillis(30)));
      assertThat(c.readSimple()).isEqualTo("OK");
      assertThat(watchdog.giveBack(c)).isTrue();
      Thread.sleep(100);
      watchdog.lend(c, in(Duration.ofSeconds(5)));
      c.flush(in(Duration.ofSeconds(5)));
      assertThat(c.readSimple()).as("still open long after the first deadline").isEqualTo("OK");
    }
  }

  @Test
  void theWatchdogTicksAFiftiethOfTheTimeLimitWithinBounds() {
    assertThat(DeadlineWatchdog.tickFor(Duration.ofMillis(250))).isEqualTo(Duration.ofMillis(5));
    assertThat(DeadlineWatchdog.tickFor(Duration.ofMillis(10))).isEqualTo(Duration.ofMillis(1));
    assertThat(DeadlineWatchdog.tickFor(Duration.ofSeconds(30))).isEqualTo(Duration.ofMillis(10));
  }

  @Test
  void aPeerThatClosesIsAnEndOfStream() throws Exception {
    connect(64, "$10\r\nonly");
    peer.close();
    c.flush(in(Duration.ofSeconds(5)));
    assertThatThrownBy(c::readBulk).isInstanceOf(EOFException.class);
  }

  private String readFromPeer(int n) throws IOException {
    InputStream in = peer.getInputStream();
    peer.setSoTimeout(5000);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] b = new byte[4096];
    while (got.size() < n) {
      int k = in.read(b);
      if (k < 0) break;
      got.write(b, 0, k);
    }
    return got.toString(StandardCharsets.UTF_8);
  }
}
