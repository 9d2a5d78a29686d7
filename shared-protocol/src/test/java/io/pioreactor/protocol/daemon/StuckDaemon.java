package io.pioreactor.protocol.daemon;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** A daemon as {@link Daemons#run} starts one, whose verticle blocks its event loop half a second after it starts. */
public final class StuckDaemon {
  private StuckDaemon() {}

  public static void main(String[] args) {
    Daemons.run("stuck", args, json -> new VerticleBase() {
      @Override
      public Future<?> start() {
        vertx.setTimer(500, t -> {
          while (true) {
            Thread.onSpinWait(); // a handler that never yields
          }
        });
        return Future.succeededFuture();
      }
    });
  }
}
