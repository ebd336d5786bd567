package dev.tessera.registry.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies over {@code tessera.registry.max-request-size} with 413 before anything
 * reads them: by Content-Length when it is given, and by counting when the body is chunked. A
 * definition is a few kilobytes; a body of many megabytes is a mistake or an attack.
 */
public final class RequestSizeLimitFilter extends OncePerRequestFilter {
  private final long limit;

  public RequestSizeLimitFilter(DataSize limit) {
    this.limit = limit.toBytes();
  }

  /** Thrown while reading a chunked body that grows past the limit. */
  public static final class TooLargeException extends IOException {
    private final long limit;

    TooLargeException(long limit) {
      super("request body larger than " + limit + " bytes");
      this.limit = limit;
    }

    public long limit() {
      return limit;
    }
  }

  public static ProblemDetail problem(long limit) {
    return Problems.of(HttpStatus.CONTENT_TOO_LARGE, Problems.PAYLOAD_TOO_LARGE, "Request too large",
        "The request body is larger than the limit of " + limit + " bytes (tessera.registry.max-request-size).");
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long declared = request.getContentLengthLong();
    if (declared > limit) {
      // the client may still be sending: tell it not to keep the connection for the rest
      response.setHeader("Connection", "close");
      ProblemWriter.write(request, response, problem(limit));
      return;
    }
    chain.doFilter(declared < 0 ? new Limited(request, limit) : request, response);
  }

  /** A request whose body stream fails once more than {@code limit} bytes were read. */
  private static final class Limited extends HttpServletRequestWrapper {
    private final long limit;
    private ServletInputStream stream;

    Limited(HttpServletRequest request, long limit) {
      super(request);
      this.limit = limit;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) stream = new Counting(super.getInputStream(), limit);
      return stream;
    }
  }

  private static final class Counting extends ServletInputStream {
    private final ServletInputStream in;
    private final long limit;
    private long count;

    Counting(ServletInputStream in, long limit) {
      this.in = in;
      this.limit = limit;
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
      if (count > limit) throw new TooLargeException(limit);
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
