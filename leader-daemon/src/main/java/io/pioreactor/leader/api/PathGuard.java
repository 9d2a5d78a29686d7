package io.pioreactor.leader.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The first handler: a request whose path has a {@code .} or {@code ..} segment, literally or percent-encoded, is
 * refused before routing. The router would resolve {@code /api/experiments/../workers} to {@code /api/workers}, so a
 * path parameter could make a request match another route; no route of ours has such a segment.
 */
final class PathGuard implements Handler<RoutingContext> {
  @Override
  public void handle(RoutingContext ctx) {
    String raw = ctx.request().path();
    if (raw != null) {
      for (String segment : raw.split("/", -1)) {
        String decoded;
        try {
          decoded = URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          ctx.fail(new ApiException(400, "the path is not valid percent-encoding", null, null, null));
          return;
        }
        if (decoded.equals(".") || decoded.equals("..")) {
          ctx.fail(new ApiException(400, "a path segment cannot be '.' or '..'", null,
              "such segments would make the request mean another path", "send the path without them"));
          return;
        }
      }
    }
    ctx.next();
  }
}
