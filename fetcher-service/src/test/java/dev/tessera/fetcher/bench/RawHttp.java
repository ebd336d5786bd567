package dev.tessera.fetcher.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal blocking HTTP/1.1 client over one keep-alive connection, for the load generator: one
 * per worker thread. It costs the shared 2-core machine far less CPU than a general client, so the
 * figures measure the fetcher rather than the client. Understands Content-Length and chunked bodies
 * and reconnects when the server closes the connection.
 */
final class RawHttp implements AutoCloseable {
  record Response(int status, byte[] body) {}

  private final String host;
  private final int port;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private byte[] buf = new byte[64 * 1024];
  private int pos, limit;

  RawHttp(String host, int port) {
    this.host = host;
    this.port = port;
  }

  Response post(String pathAndQuery, byte[] body) throws IOException {
    byte[] head = ("POST " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
        + "Accept: application/json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] request = Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, request, head.length, body.length);
    for (int attempt = 0; ; attempt++) {
      try {
        if (socket == null) connect();
        out.write(request);
        out.flush();
        return read();
      } catch (IOException e) {
        close();
        if (attempt > 0) throw e;
      }
    }
  }

  private void connect() throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(host, port), 2000);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
    pos = limit = 0;
  }

  private Response read() throws IOException {
    String status = line();
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false, close = false;
    for (String h; !(h = line()).isEmpty(); ) {
      int colon = h.indexOf(':');
      String name = h.substring(0, colon).trim();
      String value = h.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("content-length")) length = Long.parseLong(value);
      else if (name.equalsIgnoreCase("transfer-encoding")) chunked = value.equalsIgnoreCase("chunked");
      else if (name.equalsIgnoreCase("connection")) close = value.equalsIgnoreCase("close");
    }
    byte[] body;
    if (chunked) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (int size; (size = Integer.parseInt(line().split(";")[0].trim(), 16)) > 0; ) {
        all.write(bytes(size));
        line();
      }
      while (!line().isEmpty()) {
        // trailers
      }
      body = all.toByteArray();
    } else if (length >= 0) {
      body = bytes((int) length);
    } else {
      throw new IOException("response without length");
    }
    if (close) close();
    return new Response(code, body);
  }

  private byte[] bytes(int n) throws IOException {
    byte[] b = new byte[n];
    int have = Math.min(n, limit - pos);
    System.arraycopy(buf, pos, b, 0, have);
    pos += have;
    if (have < n && in.readNBytes(b, have, n - have) != n - have) throw new IOException("connection closed mid-body");
    return b;
  }

  private String line() throws IOException {
    int start = pos;
    while (true) {
      for (int i = start; i < limit; i++) {
        if (buf[i] == '\n') {
          int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
          String s = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
          pos = i + 1;
          return s;
        }
      }
      start = limit - pos;
      if (pos > 0) {
        System.arraycopy(buf, pos, buf, 0, limit - pos);
        limit -= pos;
        pos = 0;
      }
      if (limit == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
      int n = in.read(buf, limit, buf.length - limit);
      if (n < 0) throw new IOException("connection closed");
      limit += n;
    }
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    socket = null;
  }
}
