package io.pioreactor.e2e;

import io.vertx.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The leader's REST API, plainly. */
public final class Http {
  public record Response(int status, String body) {
    public Object json() {
      return Json.decodeValue(body);
    }
  }

  private final String base;
  private String authorization;
  // HTTP/1.1, as browsers and curl speak to the leader (Java would otherwise try an h2c upgrade on every request).
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
      .version(HttpClient.Version.HTTP_1_1).build();

  Http(String base) {
    this.base = base;
  }

  void credentials(String user, String password) {
    authorization = "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  public Response send(String method, String path, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return execute(b
        .header("content-type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build());
  }

  /** The answer, or status -1 with what went wrong on the way. */
  private Response execute(HttpRequest req) {
    try {
      HttpResponse<String> res = client.send(req, HttpResponse.BodyHandlers.ofString());
      return new Response(res.statusCode(), res.body());
    } catch (IOException e) {
      return new Response(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Response(-1, "interrupted");
    }
  }

  /**
   * Follows {@code /api/events} in a daemon thread: each {@code event: name} frame's data goes to {@code onEvent} with
   * its name, until the stream ends (the leader went away) or the returned handle is closed.
   */
  public AutoCloseable events(java.util.function.BiConsumer<String, String> onEvent) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/events"));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    java.util.concurrent.CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> res =
        client.sendAsync(b.GET().build(), HttpResponse.BodyHandlers.ofLines());
    Thread t = new Thread(() -> {
      try {
        String[] name = {null};
        res.get().body().forEach(line -> {
          if (line.startsWith("event: ")) {
            name[0] = line.substring(7);
          } else if (line.startsWith("data: ") && name[0] != null) {
            onEvent.accept(name[0], line.substring(6));
            name[0] = null;
          }
        });
      } catch (Exception e) {
        // the stream ended: the leader went away, or the test closed it
      }
    }, "event-stream");
    t.setDaemon(true);
    t.start();
    return () -> res.cancel(true);
  }

  public Response get(String path) {
    return send("GET", path, null);
  }

  /** Streams {@code bytes} zero bytes as the body (never in memory); with a Content-Length unless {@code chunked}. */
  public Response sendZeros(String method, String path, long bytes, boolean chunked) {
    java.util.function.Supplier<java.io.InputStream> zeros = () -> new java.io.InputStream() {
      long left = bytes;

      @Override
      public int read() {
        return left-- > 0 ? 0 : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left <= 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        java.util.Arrays.fill(b, off, off + n, (byte) 0);
        left -= n;
        return n;
      }
    };
    HttpRequest.BodyPublisher body = chunked ? HttpRequest.BodyPublishers.ofInputStream(zeros)
        : HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(zeros), bytes);
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
        .version(HttpClient.Version.HTTP_1_1).header("content-type", "application/octet-stream").method(method, body);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return execute(b.build());
  }

  /** A client of the same leader signing in as someone else (or no one: null). */
  Http as(String user, String password) {
    Http other = new Http(base);
    if (user != null) {
      other.credentials(user, password);
    }
    return other;
  }
}
