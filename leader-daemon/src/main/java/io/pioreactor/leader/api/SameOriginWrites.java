package io.pioreactor.leader.api;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;

/**
 * Refuses writes a browser sends from another site's page (its {@code Origin} names another host), with or without
 * sign-in configured: otherwise any web page a lab member opens could post a form to {@code /api/units/$broadcast/system/shutdown}.
 * Requests without {@code Origin} (the CLI, scripts, curl) are not a browser's cross-site requests and pass.
 */
final class SameOriginWrites implements Handler<RoutingContext> {
  @Override
  public void handle(RoutingContext ctx) {
    boolean write = ctx.request().method() != HttpMethod.GET && ctx.request().method() != HttpMethod.HEAD;
    if (write && crossOrigin(ctx)) {
      ctx.fail(new ApiException(403, "cross-origin writes are refused"));
      return;
    }
    ctx.next();
  }

  static boolean crossOrigin(RoutingContext ctx) {
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
