package io.pioreactor.worker;

import io.pioreactor.protocol.daemon.Daemons;
import io.pioreactor.worker.config.WorkerConfig;

/** {@code java -jar worker-daemon.jar [--config FILE]}: reads the config, deploys the worker, runs until stopped. */
public final class WorkerMain {
  private WorkerMain() {}

  public static void main(String[] args) {
    Daemons.run("worker", args, (json, restart) -> new WorkerVerticle(WorkerConfig.fromJson(json, Daemons.hostname("worker")), null, restart));
  }
}
