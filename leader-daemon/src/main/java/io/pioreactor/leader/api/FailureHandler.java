package io.pioreactor.leader.api;

import io.pioreactor.leader.database.StorageFailure;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place errors become responses: {@code {"error", "status", ...}} as JSON. */
final class FailureHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);
  private final java.nio.file.Path database;

  /** {@code database}: the leader's SQLite file, to tell a read-only one from a failing disk. */
  FailureHandler(java.nio.file.Path database) {
    this.database = database;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    // Looked up once, and only for failures that may be about storage (it checks the database file).
    java.util.Optional<StorageFailure> storage = failure == null || failure instanceof ApiException || failure instanceof HttpException
        ? java.util.Optional.empty() : StorageFailure.of(failure, database);
    JsonObject body;
    int status;
    if (failure instanceof ApiException api) {
      status = api.status();
      body = api.toJson();
    } else if (failure instanceof HttpException http) {
      status = http.getStatusCode();
      body = new JsonObject().put("error", describe(status, http.getPayload())).put("status", status);
    } else if (constraint(failure)) {
      // Two requests raced for one name and the database kept one: the loser hears so, as it would a moment later.
      status = 409;
      body = new ApiException(status, "that conflicts with what is stored now (another request got there first)", null,
          failure.getMessage(), "read the current state, then try again").toJson();
    } else if (storage.isPresent()) {
      status = 503;
      body = new ApiException(status, storage.get().message(), null, failure.getMessage(), storage.get().remediation()).toJson();
    } else if (failure == null) {
      status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
      body = new JsonObject().put("error", describe(status, null)).put("status", status);
    } else {
      status = 500;
      body = new JsonObject().put("error", "internal error: " + failure.getMessage()).put("status", status);
    }
    if (status >= 500) {
      LOG.error("{} {} -> {}", ctx.request().method(), ctx.request().path(), status, failure);
    } else {
      LOG.info("{} {} -> {}: {}", ctx.request().method(), ctx.request().path(), status, body.getString("error"));
    }
    if (ctx.response().headWritten()) {
      ctx.response().end();
      return;
    }
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }

  private static boolean constraint(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof org.sqlite.SQLiteException e && (e.getResultCode().code & 0xff) == 19) { // SQLITE_CONSTRAINT
        return true;
      }
    }
    return false;
  }

  private static String describe(int status, String payload) {
    if (payload != null && !payload.isBlank()) {
      return payload;
    }
    return switch (status) {
      case 400 -> "bad request";
      case 404 -> "not found";
      case 405 -> "method not allowed";
      case 413 -> "request body too large (limit 64 KiB)";
      case 415 -> "unsupported content type";
      default -> "request failed";
    };
  }
}
