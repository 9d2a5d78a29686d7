package io.pioreactor.leader.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/** The leader's REST API for the CLI: JSON in and out, errors turned into {@link CliException}s. */
final class LeaderClient {
  private final String base;
  private final String authorization;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  LeaderClient(String base, Map<String, String> env) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    String user = env.get("PIO_API_USERNAME");
    this.authorization = user == null ? null : "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + env.getOrDefault("PIO_API_PASSWORD", "")).getBytes(StandardCharsets.UTF_8));
  }

  String base() {
    return base;
  }

  static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  Object get(String path) {
    return send("GET", path, null);
  }

  Object send(String method, String path, JsonObject body) {
    HttpResponse<String> res = exchange(method, path, body);
    Object json = parse(res.body());
    if (res.statusCode() >= 400) {
      throw CliException.refused(res.statusCode(), json);
    }
    return json;
  }

  /** GET of a text body (an INI file): as it came, never taken for JSON. */
  String text(String path) {
    HttpResponse<String> res = exchange("GET", path, null);
    if (res.statusCode() >= 400) {
      throw CliException.refused(res.statusCode(), parse(res.body()));
    }
    return res.body();
  }

  private HttpResponse<String> exchange(String method, String path, JsonObject body) {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(120))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()))
        .header("content-type", "application/json");
    if (authorization != null) {
      req.header("Authorization", authorization);
    }
    try {
      return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException | IllegalArgumentException e) {
      String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
      throw new CliException(CliException.UNREACHABLE, "cannot reach the leader at " + base + " (" + why
          + ") — is it running? Set --leader URL or PIO_LEADER_URL.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(CliException.UNREACHABLE, "interrupted");
    }
  }

  /** GET to a file (a leader snapshot); errors as for {@link #send}. */
  void download(String path, java.nio.file.Path file) {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(10)).GET();
    if (authorization != null) {
      req.header("Authorization", authorization);
    }
    try {
      java.nio.file.Path tmp = java.nio.file.Files.createTempFile(file.toAbsolutePath().getParent(), ".download", ".part");
      HttpResponse<java.nio.file.Path> res = http.send(req.build(), HttpResponse.BodyHandlers.ofFile(tmp));
      if (res.statusCode() >= 400) {
        String body = java.nio.file.Files.readString(tmp);
        java.nio.file.Files.delete(tmp);
        throw CliException.refused(res.statusCode(), parse(body));
      }
      java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new CliException(CliException.UNREACHABLE, "cannot reach the leader at " + base + " or write " + file + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(CliException.UNREACHABLE, "interrupted");
    }
  }

  /** POST a file's bytes. */
  Object upload(String path, java.nio.file.Path file) {
    HttpRequest.Builder req;
    try {
      // HTTP/1.1: a leader that refuses the size answers at once and closes, and this client stops sending. (Java's
      // client cannot combine the h2c upgrade with Expect: 100-continue.)
      req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(10)).version(HttpClient.Version.HTTP_1_1)
          .POST(HttpRequest.BodyPublishers.ofFile(file)).header("content-type", "application/octet-stream");
    } catch (java.io.FileNotFoundException e) {
      throw CliException.usage("cannot read " + file);
    }
    if (authorization != null) {
      req.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> res = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
      Object json = parse(res.body());
      if (res.statusCode() >= 400) {
        throw CliException.refused(res.statusCode(), json);
      }
      return json;
    } catch (IOException e) {
      throw new CliException(CliException.UNREACHABLE, "cannot reach the leader at " + base + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(CliException.UNREACHABLE, "interrupted");
    }
  }

  private static Object parse(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return Json.decodeValue(body);
    } catch (DecodeException e) {
      return body;
    }
  }

  static String describe(int status, Object json) {
    if (!(json instanceof JsonObject o) || o.getString("error") == null) {
      return "the leader answered " + status;
    }
    StringBuilder sb = new StringBuilder(o.getString("error"));
    if (o.getString("step") != null) {
      sb.append(" (step: ").append(o.getString("step")).append(")");
    }
    if (o.getString("cause") != null) {
      sb.append("\n  cause: ").append(o.getString("cause"));
    }
    if (o.getString("remediation") != null) {
      sb.append("\n  try: ").append(o.getString("remediation"));
    }
    return sb.toString();
  }
}
