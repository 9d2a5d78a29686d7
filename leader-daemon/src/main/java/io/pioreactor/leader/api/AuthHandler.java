package io.pioreactor.leader.api;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * HTTP Basic authentication for the API and the page, when the leader's config sets {@code http.auth}.
 * Reads may be left open ({@code allow_anonymous_read}). Writes from another site's page are refused
 * by their Origin header, so a signed-in browser cannot be used for cross-site requests.
 */
final class AuthHandler implements Handler<RoutingContext> {
  private final byte[] expected;
  private final boolean anonymousRead;

  private AuthHandler(String username, String password, boolean anonymousRead) {
    this.expected = (username + ":" + password).getBytes(StandardCharsets.UTF_8);
    this.anonymousRead = anonymousRead;
  }

  /** Null when the config has no {@code auth} block: the leader is then open, as upstream's is by default. */
  static AuthHandler fromConfig(JsonObject auth) {
    if (auth == null || auth.getString("username") == null) {
      return null;
    }
    return new AuthHandler(auth.getString("username"), auth.getString("password"),
        auth.getBoolean("allow_anonymous_read", false));
  }

  @Override
  public void handle(RoutingContext ctx) {
    boolean write = ctx.request().method() != HttpMethod.GET && ctx.request().method() != HttpMethod.HEAD;
    if (write && crossOrigin(ctx)) {
      ctx.fail(new ApiException(403, "cross-origin writes are refused"));
      return;
    }
    if ((!write && anonymousRead) || authorized(ctx.request().getHeader("Authorization"))) {
      ctx.next();
      return;
    }
    ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"Pioreactor leader\", charset=\"UTF-8\"");
    ctx.fail(new ApiException(401, "sign in required", null, null, "give the leader's username and password"));
  }

  private boolean authorized(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    try {
      byte[] given = Base64.getDecoder().decode(header.substring(6).trim());
      return MessageDigest.isEqual(given, expected);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean crossOrigin(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    if (origin == null) {
      return false; // not a browser's cross-site request (CLI, scripts)
    }
    try {
      URI o = URI.create(origin);
      String host = ctx.request().authority() == null ? null : ctx.request().authority().toString();
      String originAuthority = o.getPort() == -1 ? o.getHost() : o.getHost() + ":" + o.getPort();
      return host == null || !host.equalsIgnoreCase(originAuthority);
    } catch (IllegalArgumentException e) {
      return true;
    }
  }
}
