package dev.tessera.support.security;

import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's answer to a request it refuses before Spring sees it (an encoded {@code ../} or
 * {@code %2F} in the path, a malformed request line): problem JSON like every other answer, instead
 * of Tomcat's HTML page with its version. Issue 21: {@code GET /v1/features/groupby/..%2F..%2Fx}
 * got that page.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) return;
    try {
      response.setContentType("application/problem+json");
      response.setCharacterEncoding("UTF-8");
      Writer writer = response.getReporter();
      if (writer == null) return;
      String type = status == 400 ? "malformed-request" : status == 404 ? "not-found" : status >= 500 ? "internal-error" : "invalid-request";
      writer.write("{\"type\":\"" + ProblemResponse.BASE + type + "\",\"title\":\"Request refused\",\"status\":" + status
          + ",\"detail\":\"The server refused this request before handling it (for example an encoded '/' or '..' in the path).\"}");
      response.finishResponse();
    } catch (IOException | IllegalStateException e) {
      // the client went away or the response is already committed: nothing more to say
    }
  }
}
