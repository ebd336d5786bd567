package dev.tessera.registry.rollout;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a rollout asks of the other services: an upload of one GroupBy version on the batch service
 * ({@code POST /api/v1/jobs/upload}, then {@code GET /api/v1/jobs/{id}}), and how far the stream
 * service's job of that version has read ({@code GET /api/v1/streaming-jobs/{name}/versions/{v}/progress}).
 * Every failure is a {@link StepFailed} with a sentence an operator can act on.
 */
class RolloutCalls {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final URI batch;
  private final URI stream;
  private final String token;
  private final Duration timeout;
  private final HttpClient http;

  /** A step cannot go on; the message says why. */
  static final class StepFailed extends RuntimeException {
    StepFailed(String message) {
      super(message);
    }
  }

  /** A batch job as far as a rollout cares. */
  record Job(long id, String status, String errors, long keysDeleted) {
    boolean ended() {
      return status.equals("COMPLETED") || status.equals("FAILED") || status.equals("STOPPED") || status.equals("ABANDONED");
    }
  }

  /** The stream job of a version: caught up, and how many records it still has to read. */
  record Progress(boolean caughtUp, String state, long behind) {}

  RolloutCalls(URI batch, URI stream, String token, Duration timeout) {
    this.batch = batch;
    this.stream = stream;
    this.token = token;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  long startUpload(String name, int version, LocalDate date) {
    return startJob("upload", java.util.Map.of("groupBy", name, "version", version, "date", date.toString()));
  }

  /** Deletes a replaced version's online data (batch-service README "Purge"). */
  long startPurge(String name, int version) {
    return startJob("purge", java.util.Map.of("groupBy", name, "version", version));
  }

  private long startJob(String kind, java.util.Map<String, Object> request) {
    JsonNode accepted = send("batch service", HttpRequest.newBuilder(resolve(batch, "api/v1/jobs/" + kind))
        .header("Content-Type", "application/json").header("X-API-Key", token)
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))));
    return accepted.path("id").asLong();
  }

  Job job(long id) {
    JsonNode view = send("batch service", HttpRequest.newBuilder(resolve(batch, "api/v1/jobs/" + id)).GET());
    return new Job(id, view.path("status").asString(""), view.path("errors").toString(), view.path("result").path("keysDeleted").asLong(0));
  }

  /**
   * Whether the stream service runs a job of this GroupBy (any version). Every instance runs every
   * job (its partitions are spread over them), so one instance's answer is the service's.
   */
  boolean hasStreamingJob(String name) {
    URI uri = resolve(stream, "api/v1/streaming-jobs/" + URLEncoder.encode(name, StandardCharsets.UTF_8));
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (r.statusCode() == 404) return false;
      if (r.statusCode() / 100 == 2) return true;
      throw new StepFailed("the stream service answered " + r.statusCode() + " to " + uri.getPath());
    } catch (IOException e) {
      throw new StepFailed("the stream service at " + stream + " is not reachable (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailed("interrupted");
    }
  }

  Progress progress(String name, int version, long until) {
    JsonNode p = send("stream service", HttpRequest.newBuilder(resolve(stream, "api/v1/streaming-jobs/"
        + URLEncoder.encode(name, StandardCharsets.UTF_8) + "/versions/" + version + "/progress?until=" + until)).GET());
    long behind = 0;
    for (JsonNode partition : p.path("partitions")) {
      long needed = partition.path("needed").asLong();
      long committed = partition.path("committed").asLong(-1);
      behind += Math.max(0, needed - Math.max(0, committed));
    }
    return new Progress(p.path("caughtUp").asBoolean(false), p.path("state").asString(""), behind);
  }

  private JsonNode send(String service, HttpRequest.Builder request) {
    URI uri = request.build().uri();
    try {
      HttpResponse<String> r = http.send(request.timeout(timeout).header("Accept", "application/json").build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (r.statusCode() / 100 != 2) {
        String detail = r.body();
        try {
          JsonNode problem = JSON.readTree(r.body());
          if (problem.hasNonNull("detail")) detail = problem.get("detail").asString();
        } catch (JacksonException notJson) {
          // the body as it is
        }
        throw new StepFailed("the " + service + " answered " + r.statusCode() + " to " + uri.getPath() + ": " + abbreviate(detail));
      }
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new StepFailed("the " + service + " at " + uri.getScheme() + "://" + uri.getAuthority() + " is not reachable ("
          + e.getClass().getSimpleName() + ")");
    } catch (JacksonException e) {
      throw new StepFailed("the " + service + " sent something that is not JSON from " + uri.getPath());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailed("interrupted");
    }
  }

  private static URI resolve(URI base, String path) {
    String b = base.toString();
    return URI.create(b.endsWith("/") ? b + path : b + "/" + path);
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() > 300 ? s.substring(0, 297) + "..." : s;
  }
}
