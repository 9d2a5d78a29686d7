package io.pioreactor.leader.api;

import io.pioreactor.leader.system.LeaderState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;

/**
 * {@code POST /api/leader/import}: the snapshot streams to a file beside the database, never into memory. A declared
 * size over the limit is refused before a byte is read (413; a client that sent {@code Expect: 100-continue}, as
 * {@code pio leader import} and curl do, sends nothing); an undeclared one is cut off when it passes it; a body bigger
 * than the disk's free space is refused up front (507). Refused mid-way, the connection is closed rather than the rest
 * read. The file is then checked and staged by {@link LeaderState}; whatever fails, it is deleted.
 */
final class SnapshotUpload {
  private final Vertx vertx;
  private final LeaderState state;
  private final long maxBytes;

  SnapshotUpload(Vertx vertx, LeaderState state, long maxBytes) {
    this.vertx = vertx;
    this.state = state;
    this.maxBytes = maxBytes;
  }

  /** Completes with the snapshot's worker count once it is staged. */
  Future<Integer> receive(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    req.pause();
    long declared = declaredLength(req);
    if (declared > maxBytes) {
      return Future.failedFuture(tooBig());
    }
    if (declared == 0) {
      return Future.failedFuture(ApiException.badRequest("send the snapshot (pio leader export FILE on the old leader) as the request body"));
    }
    String dir = state.uploadDirectory().toString();
    return vertx.fileSystem().fsProps(dir)
        .compose(fs -> declared > 0 && fs.usableSpace() < 2 * declared
            ? Future.failedFuture(new ApiException(507, "the leader's disk has too little room for this snapshot", "import",
                fs.usableSpace() / (1024 * 1024) + " MB free, " + declared / (1024 * 1024) + " MB sent (and as much again to check it)",
                "free space on the leader, then try again"))
            : vertx.fileSystem().createTempFile(dir, ".import", ".upload", (String) null))
        .compose(path -> vertx.fileSystem().open(path, new OpenOptions().setWrite(true).setTruncateExisting(true))
            .onSuccess(file -> {
              if ("100-continue".equalsIgnoreCase(req.getHeader("Expect"))) {
                ctx.response().writeContinue(); // the size is fine: send it
              }
            })
            .compose(file -> copy(req, file)
                .eventually(() -> file.close())
                .compose(n -> n == 0
                    ? Future.failedFuture(ApiException.badRequest("send the snapshot (pio leader export FILE on the old leader) as the request body"))
                    : Future.succeededFuture(n)))
            .compose(n -> state.stageImport(Path.of(path)))
            .onFailure(err -> vertx.fileSystem().delete(path).otherwiseEmpty()));
  }

  /** Copies the body with back-pressure; fails with 413 (and stops reading) once it passes the limit. */
  private Future<Long> copy(HttpServerRequest req, AsyncFile file) {
    Promise<Long> done = Promise.promise();
    long[] received = {0};
    req.handler(buf -> {
      received[0] += buf.length();
      if (received[0] > maxBytes) {
        req.pause();
        done.tryFail(tooBig());
        return;
      }
      file.write(buf);
      if (file.writeQueueFull()) {
        req.pause();
        file.drainHandler(v -> req.resume());
      }
    });
    req.exceptionHandler(done::tryFail);
    req.endHandler(v -> done.tryComplete(received[0]));
    req.resume();
    return done.future();
  }

  private ApiException tooBig() {
    return new ApiException(413, "the snapshot is larger than this leader takes (" + maxBytes / (1024 * 1024) + " MB)", "import",
        null, "raise http.max_import_mb in the leader's config if the snapshot is right");
  }

  private static long declaredLength(HttpServerRequest req) {
    String h = req.getHeader("Content-Length");
    try {
      return h == null ? -1 : Long.parseLong(h.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
