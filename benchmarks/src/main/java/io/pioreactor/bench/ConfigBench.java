package io.pioreactor.bench;

import io.pioreactor.protocol.config.Ini;
import io.pioreactor.protocol.testing.TestCredentials;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A change of the shared configuration acknowledged by a fleet: {@code units} simulated workers (own credentials, in
 * the inventory) each answer their configuration as a worker does. Per change, from the PATCH being sent: when each
 * unit receives its new version (p50/p99 over units and changes), and when the leader's {@code /api/config/status}
 * says every unit is current with it (polled every 10 ms; p50/p99 over changes). Floor: a bare QoS 1 round trip
 * through the same broker.
 */
final class ConfigBench {
  private static final String PREFIX = "cfg";

  record Result(int units, int changes, Percentiles received, Percentiles allCurrent, Percentiles floor) {}

  private ConfigBench() {}

  static Result measure(Vertx vertx, Path repo, int units, int changes) throws Exception {
    Path dir = Files.createTempDirectory("bench-config");
    try (LeaderProcess leader = LeaderProcess.start(repo, dir, 0)) {
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= units; i++) {
        names.add(PREFIX + i);
      }
      leader.addWorkers(names, null);
      try (SimulatedWorkers fleet = SimulatedWorkers.connect(vertx, leader.brokerPort(), PREFIX, units, leader.credentials())) {
        List<Future<Void>> subscribed = new ArrayList<>();
        fleet.all().forEach(w -> subscribed.add(w.answerConfigurations()));
        Future.all(subscribed).await();
        awaitAllCurrent(leader, null, 60_000);
        List<Long> received = new ArrayList<>();
        List<Long> allCurrent = new ArrayList<>();
        for (int c = 0; c < changes; c++) {
          String text = leader.get("/api/config/shared");
          String edited = Ini.parse(text).with("stirring.config", "initial_target_rpm", String.valueOf(400 + c)).text();
          String before = new JsonObject(leader.get("/api/config/status")).getJsonObject(PREFIX + 1).getString("version");
          long t0 = System.nanoTime();
          leader.send("PATCH", "/api/config/shared", new JsonObject().put("code", edited), 200);
          String version = awaitAllCurrent(leader, before, 60_000);
          allCurrent.add(System.nanoTime() - t0);
          for (SimulatedWorker w : fleet.all()) {
            Long at = w.configsReceived.get(version);
            if (at == null) {
              throw new IllegalStateException(w.unit() + " says current but never received " + version);
            }
            received.add(at - t0);
          }
        }
        Percentiles floor = MqttRoundTrip.measure(vertx, leader.brokerPort(), 1, 100, 500, TestCredentials.LEADER_USER,
            leader.credentials().password(TestCredentials.LEADER_USER));
        return new Result(units, changes, Percentiles.of(received), Percentiles.of(allCurrent), floor);
      }
    }
  }

  /** Waits until every unit is current with one version other than {@code before}; returns it. */
  private static String awaitAllCurrent(LeaderProcess leader, String before, long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (System.nanoTime() < deadline) {
      JsonObject status = new JsonObject(leader.get("/api/config/status"));
      String version = null;
      boolean all = !status.isEmpty();
      for (String u : status.fieldNames()) {
        JsonObject s = status.getJsonObject(u);
        String v = s.getString("version");
        all &= "current".equals(s.getString("state")) && v != null && !v.equals(before) && (version == null || version.equals(v));
        version = v;
      }
      if (all) {
        return version;
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("the units did not all become current within " + timeoutMs / 1000 + " s");
  }
}
