package dev.tessera.local;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The few Redis commands the local stack needs (SCAN, UNLINK, GET), over one socket in the protocol's
 * plain form: enough to remove a demo's keys from a shared Redis without a client library.
 */
public final class RedisClient implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  public RedisClient(String host, int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), 2000);
    socket.setSoTimeout(10_000);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream());
  }

  /** Sends one command and returns its reply: String, Long, byte[]-as-String, List or null. */
  public Object command(String... args) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String a : args) {
      byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
      b.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      b.writeBytes(bytes);
      b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.write(b.toByteArray());
    out.flush();
    return reply();
  }

  /** Every key matching {@code pattern} (SCAN, so a large Redis is not blocked). */
  public List<String> keys(String pattern) throws IOException {
    List<String> keys = new ArrayList<>();
    String cursor = "0";
    do {
      List<?> page = (List<?>) command("SCAN", cursor, "MATCH", pattern, "COUNT", "1000");
      cursor = (String) page.get(0);
      for (Object k : (List<?>) page.get(1)) keys.add((String) k);
    } while (!cursor.equals("0"));
    return keys;
  }

  /** Deletes every key matching {@code pattern}; returns how many there were. */
  public int deleteMatching(String pattern) throws IOException {
    List<String> keys = keys(pattern);
    for (int i = 0; i < keys.size(); i += 500) {
      List<String> batch = keys.subList(i, Math.min(keys.size(), i + 500));
      List<String> cmd = new ArrayList<>(batch.size() + 1);
      cmd.add("UNLINK");
      cmd.addAll(batch);
      command(cmd.toArray(String[]::new));
    }
    return keys.size();
  }

  private Object reply() throws IOException {
    int type = in.read();
    String line = line();
    return switch (type) {
      case '+' -> line;
      case '-' -> throw new IOException("Redis: " + line);
      case ':' -> Long.parseLong(line);
      case '$' -> {
        int n = Integer.parseInt(line);
        if (n < 0) yield null;
        byte[] data = in.readNBytes(n + 2);
        yield new String(data, 0, n, StandardCharsets.UTF_8);
      }
      case '*' -> {
        int n = Integer.parseInt(line);
        if (n < 0) yield null;
        List<Object> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) items.add(reply());
        yield items;
      }
      case -1 -> throw new IOException("Redis closed the connection");
      default -> throw new IOException("unexpected Redis reply type " + (char) type);
    };
  }

  private String line() throws IOException {
    StringBuilder s = new StringBuilder();
    int c;
    while ((c = in.read()) != '\r') {
      if (c == -1) throw new IOException("Redis closed the connection");
      s.append((char) c);
    }
    in.read();
    return s.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
