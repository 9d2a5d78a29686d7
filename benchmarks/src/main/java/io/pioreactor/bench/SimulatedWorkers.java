package io.pioreactor.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/** A fleet of {@link SimulatedWorker}s in this JVM, connected a batch at a time so the broker is not flooded. */
final class SimulatedWorkers implements AutoCloseable {
  private static final int BATCH = 50;

  private final List<SimulatedWorker> workers = new ArrayList<>();

  /** Units named {@code <prefix>1 … <prefix>n}, each connected and {@code ready} when this returns (an open broker). */
  static SimulatedWorkers connect(Vertx vertx, int brokerPort, String prefix, int n) {
    return connect(vertx, brokerPort, prefix, n, null);
  }

  /** The same, each with its own broker credentials from {@code credentials} (made there first). */
  static SimulatedWorkers connect(Vertx vertx, int brokerPort, String prefix, int n,
                                  io.pioreactor.protocol.testing.TestCredentials credentials) {
    SimulatedWorkers fleet = new SimulatedWorkers();
    for (int i = 1; i <= n; i++) {
      fleet.workers.add(new SimulatedWorker(vertx, prefix + i, credentials == null ? null : credentials.password(prefix + i)));
    }
    for (int i = 0; i < n; i += BATCH) {
      Future.all(fleet.workers.subList(i, Math.min(n, i + BATCH)).stream().map(w -> w.connect(brokerPort)).toList()).await();
    }
    return fleet;
  }

  List<SimulatedWorker> all() {
    return workers;
  }

  List<String> units() {
    return workers.stream().map(SimulatedWorker::unit).toList();
  }

  int size() {
    return workers.size();
  }

  @Override
  public void close() {
    Future.join(workers.stream().map(SimulatedWorker::disconnect).toList()).otherwiseEmpty().await();
  }
}
