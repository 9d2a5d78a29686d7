package io.pioreactor.worker.activities;

import io.pioreactor.protocol.mqtt.MqttSettings;
import io.pioreactor.worker.WorkerLog;
import io.pioreactor.worker.hardware.Hat;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * What a job gets from the worker: where it runs, the HAT, the broker, the log, what the cluster configuration
 * says jobs start with ({@code defaults}, read when the job is made), and the gate that every
 * (re)connect of the job waits on, so a returning worker learns its membership before a job re-asserts itself.
 */
public record ActivityContext(Vertx vertx, String unit, Hat hat, MqttSettings mqtt, WorkerLog log,
                              Supplier<Future<Void>> membershipSettled, Runnable connectionLost, Children children,
                              java.util.function.BiFunction<String, String, Future<?>> retainOnMainSession,
                              Supplier<io.pioreactor.worker.clusterconfig.JobDefaults> defaults) {

  /** Jobs that start other jobs (a dosing automation runs the pumps), under the same rules as any start. */
  public interface Children {
    /** Starts the job and completes when it has finished (a pump: when it has pumped). */
    Future<Void> runToCompletion(io.pioreactor.protocol.JobRun run);
  }
}
