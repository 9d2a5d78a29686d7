package io.pioreactor.bench;

import io.pioreactor.protocol.testing.MosquittoBroker;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The leader's RSS idle, then with simulated workers connected and in the inventory, with the systemd unit's JVM
 * flags. Once with the embedded broker (the workers' sessions then live in the leader's process) and once with
 * mosquitto beside it (their sessions are mosquitto's, not counted here).
 */
final class LeaderLoadFootprint {
  record Result(int workers, long idleEmbeddedKb, long loadedEmbeddedKb, long idleExternalKb, long loadedExternalKb) {}

  private static final long SETTLE_MS = 3_000;

  private LeaderLoadFootprint() {}

  static Result measure(Vertx vertx, Path repo, int workers) throws Exception {
    long[] embedded = rss(vertx, repo, workers, 0);
    long[] external;
    try (MosquittoBroker broker = MosquittoBroker.start()) {
      external = rss(vertx, repo, workers, broker.port());
    }
    return new Result(workers, embedded[0], embedded[1], external[0], external[1]);
  }

  /** {idle, loaded} RSS in kB. */
  private static long[] rss(Vertx vertx, Path repo, int workers, int externalBrokerPort) throws Exception {
    try (LeaderProcess leader = LeaderProcess.start(repo, Files.createTempDirectory("bench-leader-load"), externalBrokerPort)) {
      Thread.sleep(SETTLE_MS);
      long idle = ProcStats.rssKb(leader.pid());
      try (SimulatedWorkers fleet = SimulatedWorkers.connect(vertx, leader.brokerPort(), "load", workers, leader.credentials())) {
        leader.addWorkers(fleet.units(), null);
        Thread.sleep(SETTLE_MS);
        return new long[] {idle, ProcStats.rssKb(leader.pid())};
      }
    }
  }
}
