package io.pioreactor.leader.api;

import io.vertx.ext.web.RoutingContext;

/** Query parameters read the one way every route reads them: a bad one is a 400 naming it. */
final class QueryParams {
  private QueryParams() {}

  /** A whole number from 0, or {@code dflt} when absent. */
  static long whole(RoutingContext ctx, String name, long dflt) {
    String v = ctx.queryParams().get(name);
    if (v == null) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v);
      if (n < 0 || n > Integer.MAX_VALUE) {
        throw ApiException.badRequest("'" + name + "' must be a whole number from 0");
      }
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("'" + name + "' must be a whole number");
    }
  }

  /** A whole number from 0, or null when absent. */
  static Long optionalWhole(RoutingContext ctx, String name) {
    return ctx.queryParams().get(name) == null ? null : whole(ctx, name, 0);
  }
}
