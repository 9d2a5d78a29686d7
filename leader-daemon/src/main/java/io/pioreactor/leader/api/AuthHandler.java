package io.pioreactor.leader.api;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Authentication for the API when the leader's config sets {@code http.auth}: HTTP Basic (the CLI, scripts) or the
 * session cookie the web page gets from its sign-in form ({@code POST /api/session}). The page's static files and
 * the sign-in itself are open. Reads may be left open ({@code allow_anonymous_read}). Writes from another site's
 * page are refused by their Origin header, and the cookie is SameSite=Strict, so a signed-in browser cannot be
 * used for cross-site requests.
 */
final class AuthHandler implements Handler<RoutingContext> {
  static final String COOKIE = "pio_session";
  /** The page sends this on its API calls: a 401 then carries no Basic challenge, so the browser shows our form. */
  static final String UI_HEADER = "X-Pioreactor-UI";

  private final byte[] expected;
  private final boolean anonymousRead;
  private final Sessions sessions = new Sessions();
  private final SignInThrottle throttle = new SignInThrottle();

  private AuthHandler(String username, String password, boolean anonymousRead) {
    this.expected = (username + ":" + password).getBytes(StandardCharsets.UTF_8);
    this.anonymousRead = anonymousRead;
  }

  Sessions sessions() {
    return sessions;
  }

  /**
   * Checks a username and password from the sign-in form, in constant time, slowed down for a client that keeps
   * getting them wrong: throws 429 while it must wait, 401 when they are wrong.
   */
  void checkSignIn(RoutingContext ctx, String username, String password) {
    String client = client(ctx);
    refuseWhileThrottled(ctx, client);
    if (!MessageDigest.isEqual((username + ":" + password).getBytes(StandardCharsets.UTF_8), expected)) {
      throttle.failed(client);
      throw new ApiException(401, "wrong username or password");
    }
    throttle.succeeded(client);
  }

  private void refuseWhileThrottled(RoutingContext ctx, String client) {
    long wait = throttle.waitSeconds(client);
    if (wait > 0) {
      ctx.response().putHeader("Retry-After", String.valueOf(wait));
      throw new ApiException(429, "too many wrong sign-ins from " + client, "sign-in", null, "wait " + wait + " s, then try again");
    }
  }

  private static String client(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().host();
  }

  boolean signedIn(RoutingContext ctx) {
    var cookie = ctx.request().getCookie(COOKIE);
    return authorized(ctx.request().getHeader("Authorization")) || (cookie != null && sessions.valid(cookie.getValue()));
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
    // (cross-origin writes are refused before this, by SameOriginWrites)
    // The path the router will match (percent-decoded, dot segments removed), not the raw one: "/%61pi/…" and
    // "/x/../api/…" reach /api routes and must be judged as such.
    String path = ctx.normalizedPath();
    while (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    boolean open = !(path.startsWith("/api/") || path.startsWith("/unit_api/")) || path.equals("/api/session");
    // The configuration carries the broker credential for browsers, and may hold a lab's secrets: never an anonymous read.
    boolean secret = path.startsWith("/api/config/");
    String basic = ctx.request().getHeader("Authorization");
    if (basic != null && !open) {
      // Wrong Basic credentials count as a failed sign-in: guessing through the API is slowed down too.
      String client = client(ctx);
      try {
        refuseWhileThrottled(ctx, client);
      } catch (ApiException e) {
        ctx.fail(e);
        return;
      }
      if (authorized(basic)) {
        throttle.succeeded(client);
      } else {
        throttle.failed(client);
      }
    }
    if (open || (!write && anonymousRead && !secret) || signedIn(ctx)) {
      ctx.next();
      return;
    }
    if (ctx.request().getHeader(UI_HEADER) == null && !path.equals("/api/events")) {
      ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"Pioreactor leader\", charset=\"UTF-8\"");
    }
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
}
