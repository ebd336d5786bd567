package dev.tessera.support.security;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Refuses request bodies over a service's limit with a 413 problem before anything reads them: by
 * Content-Length when it is given, and by counting when the body is chunked (the read then fails
 * with {@link TooLargeException}, which the service's advice answers with {@link #detail}). A job
 * request or a fetch of a few hundred keys is kilobytes; a body of many megabytes is a mistake or
 * an attack, and reading it whole would cost every other caller memory and time.
 */
public final class BodyLimit implements Filter {
  private final long limit;
  private final String property;

  /**
   * @param limit the largest body accepted, in bytes
   * @param property the setting that holds it, named in the answer
   */
  public BodyLimit(long limit, String property) {
    if (limit < 1) throw new IllegalArgumentException(property + " must be at least 1 byte, was " + limit);
    this.limit = limit;
    this.property = property;
  }

  /** Thrown while reading a chunked body that grows past the limit. */
  public static final class TooLargeException extends IOException {
    private final long limit;
    private final String property;

    TooLargeException(long limit, String property) {
      super("request body larger than " + limit + " bytes");
      this.limit = limit;
      this.property = property;
    }

    public long limit() {
      return limit;
    }

    /** What the answer says. */
    public String detail() {
      return BodyLimit.detail(limit, property);
    }
  }

  /** The answer's detail, for the filter and for the advice that sees a chunked body cut off. */
  public static String detail(long limit, String property) {
    return "The request body is larger than the limit of " + limit + " bytes (" + property + ").";
  }

  public String detail() {
    return detail(limit, property);
  }

  /** The exception behind a read error, when it is a body cut off by this limit. */
  public static java.util.Optional<TooLargeException> cause(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof TooLargeException tooLarge) return java.util.Optional.of(tooLarge);
    }
    return java.util.Optional.empty();
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    long declared = request.getContentLengthLong();
    if (declared > limit) {
      // the client may still be sending: tell it not to keep the connection for the rest
      response.setHeader("Connection", "close");
      ProblemResponse.write(request, response, 413, ProblemResponse.PAYLOAD_TOO_LARGE, "Request too large", detail());
      return;
    }
    chain.doFilter(declared < 0 ? new Limited(request, limit, property) : request, response);
  }

  /** A request whose body stream fails once more than {@code limit} bytes were read. */
  private static final class Limited extends HttpServletRequestWrapper {
    private final long limit;
    private final String property;
    private ServletInputStream stream;

    Limited(HttpServletRequest request, long limit, String property) {
      super(request);
      this.limit = limit;
      this.property = property;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) stream = new Counting(super.getInputStream(), limit, property);
      return stream;
    }
  }

  private static final class Counting extends ServletInputStream {
    private final ServletInputStream in;
    private final long limit;
    private final String property;
    private long count;

    Counting(ServletInputStream in, long limit, String property) {
      this.in = in;
      this.limit = limit;
      this.property = property;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) add(1);
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = in.read(buf, off, len);
      if (n > 0) add(n);
      return n;
    }

    private void add(long n) throws IOException {
      count += n;
      if (count > limit) throw new TooLargeException(limit, property);
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }

    @Override
    public int available() throws IOException {
      return in.available();
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
