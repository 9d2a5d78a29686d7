package io.pioreactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Membership;
import io.pioreactor.protocol.Topics;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker that goes away, as in a power blip: Debian's mosquitto restarted, and the leader (with its embedded broker)
 * killed and restarted. Separate processes and real brokers; every daemon must be back by itself.
 */
class BrokerRestartTest {
  /** The bound for every daemon to be back on a restarted broker, by itself. */
  private static final Duration RECONNECT_BOUND = Duration.ofSeconds(5);
  private static final Duration SOON = Duration.ofSeconds(10);

  @TempDir
  Path dir;

  /** Settings are published as JSON numbers ("777" or "777.0"): compare the number. */
  private static boolean numberIs(String payload, double expected) {
    try {
      return payload != null && Double.parseDouble(payload) == expected;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static Membership membership(Cluster c, String unit) {
    String m = c.retained.get(Topics.assignment(unit));
    return m == null ? null : Membership.fromBuffer(Buffer.buffer(m));
  }

  /** Waits for {@code condition} and says how long after {@code since} (nanoTime) it held. */
  private static Duration awaitSince(long since, String what, Supplier<Boolean> condition, DaemonProcess... watch) {
    Cluster.awaitTrue(what, SOON, condition, watch);
    return Duration.ofNanos(System.nanoTime() - since);
  }

  /** A leader, w1 and w2 in e1, both stirring, w1 set to {@code rpm} over MQTT. */
  private static void stirringOnTwoWorkers(Cluster c, int rpm) throws Exception {
    c.startLeader(false);
    c.startWorker("w1");
    c.startWorker("w2");
    c.addAndAssign("e1", "w1", "w2");
    for (String w : List.of("w1", "w2")) {
      assertThat(c.http.send("POST", Cluster.runJobPath(w, "e1", Jobs.STIRRING), "{}").status()).isEqualTo(200);
    }
    c.publishAsLeader(Topics.set("w1", "e1", Jobs.STIRRING, "target_rpm"), String.valueOf(rpm));
    Cluster.awaitTrue("stirring on both, w1 at " + rpm + " rpm", SOON, () ->
        "ready".equals(c.retained.get(Topics.jobState("w1", "e1", Jobs.STIRRING)))
            && "ready".equals(c.retained.get(Topics.jobState("w2", "e1", Jobs.STIRRING)))
            && numberIs(c.retained.get(Topics.job("w1", "e1", Jobs.STIRRING, "target_rpm")), rpm));
  }

  @Test
  @DisplayName("mosquitto restarted: every daemon is back within 5 s, retained state is republished, and a change acknowledged during the outage is carried out")
  void mosquittoRestart() throws Exception {
    try (Cluster c = new Cluster(dir, false)) {
      stirringOnTwoWorkers(c, 777);

      c.mosquitto().stop();
      Cluster.awaitTrue("the leader notices", SOON, () -> c.http.get("/api/health").body().contains("\"mqtt_connected\":false"));
      // Acknowledged while the broker is down: stored, and owed to w2 as soon as it can hear it.
      assertThat(c.http.send("PUT", "/api/workers/w2/is_active", "{\"is_active\": 0}").status()).isEqualTo(200);
      // A command cannot be delivered now: it must be refused, not acknowledged and dropped.
      Http.Response led = c.http.send("POST", Cluster.runJobPath("w1", "e1", Jobs.LED_INTENSITY), "{\"options\": {\"A\": 10}}");
      assertThat(led.status()).as(led.body()).isGreaterThanOrEqualTo(500);
      Thread.sleep(3000); // long enough for every client's back-off to grow

      c.mosquitto().startAgain();
      long up = System.nanoTime();
      c.watchAgain(); // persistence is off, as upstream's: whatever is retained now was published again
      List<Duration> took = new ArrayList<>();
      took.add(awaitSince(up, "the leader back", () -> c.http.get("/api/health").body().contains("\"mqtt_connected\":true")));
      for (String w : List.of("w1", "w2")) {
        took.add(awaitSince(up, w + " back and ready", () -> "ready".equals(c.retained.get(Topics.monitorState(w))), c.daemon(w)));
      }
      took.add(awaitSince(up, "memberships republished, w2's as inactive", () -> membership(c, "w1") != null
          && membership(c, "w1").isActive() && membership(c, "w2") != null && !membership(c, "w2").isActive()));
      took.add(awaitSince(up, "w1's job state and setting republished", () ->
          "ready".equals(c.retained.get(Topics.jobState("w1", "e1", Jobs.STIRRING)))
              && numberIs(c.retained.get(Topics.job("w1", "e1", Jobs.STIRRING, "target_rpm")), 777), c.daemon("w1")));
      took.add(awaitSince(up, "w2 carried out the inactive decision", () ->
          "disconnected".equals(c.retained.get(Topics.jobState("w2", "e1", Jobs.STIRRING))), c.daemon("w2")));
      System.out.println("after mosquitto restart, back in (ms): " + took.stream().map(Duration::toMillis).toList());
      assertThat(took).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(RECONNECT_BOUND));
      assertThat(c.retained.get(Topics.jobState("w1", "e1", Jobs.LED_INTENSITY))).isNull();
      // and the cluster works as before
      assertThat(c.http.send("POST", Cluster.runJobPath("w1", "e1", Jobs.LED_INTENSITY), "{\"options\": {\"A\": 10}}").status()).isEqualTo(200);
      Cluster.awaitTrue("a new job runs", SOON, () -> "ready".equals(c.retained.get(Topics.jobState("w1", "e1", Jobs.LED_INTENSITY))));
    }
  }

  @Test
  @DisplayName("the leader with its embedded broker killed and restarted: workers are back within 5 s, keep their jobs, and an acknowledged change made just before is carried out")
  void embeddedBrokerRestart() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      stirringOnTwoWorkers(c, 555);

      assertThat(c.http.send("PUT", "/api/workers/w2/is_active", "{\"is_active\": 0}").status()).isEqualTo(200);
      c.killLeader(); // at once: the worker may or may not have heard it; the database has it
      Thread.sleep(2000);

      AtomicLong brokerUp = new AtomicLong();
      Thread probe = new Thread(() -> {
        while (brokerUp.get() == 0) {
          try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", c.brokerPort), 100);
            brokerUp.set(System.nanoTime());
          } catch (IOException e) {
            try {
              Thread.sleep(10);
            } catch (InterruptedException ie) {
              return;
            }
          }
        }
      });
      probe.start();
      c.restartLeader();
      probe.join(5000);
      long up = brokerUp.get();
      assertThat(up).as("the broker came up").isPositive();
      List<Duration> took = new ArrayList<>();
      for (String w : List.of("w1", "w2")) {
        took.add(awaitSince(up, w + " back and ready", () -> "ready".equals(c.retained.get(Topics.monitorState(w))), c.daemon(w)));
      }
      took.add(awaitSince(up, "w1 still stirring at 555", () -> "ready".equals(c.retained.get(Topics.jobState("w1", "e1", Jobs.STIRRING)))
          && numberIs(c.retained.get(Topics.job("w1", "e1", Jobs.STIRRING, "target_rpm")), 555), c.daemon("w1")));
      took.add(awaitSince(up, "w2 inactive, its stirring stopped", () -> membership(c, "w2") != null && !membership(c, "w2").isActive()
          && "disconnected".equals(c.retained.get(Topics.jobState("w2", "e1", Jobs.STIRRING))), c.daemon("w2")));
      System.out.println("after the leader's broker came back, back in (ms): " + took.stream().map(Duration::toMillis).toList());
      assertThat(took).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(RECONNECT_BOUND));
      // w1's job was never stopped: the worker kept it through the outage
      assertThat(Files.readString(c.dir.resolve("w1/daemon.log"))).doesNotContain("stirring: disconnected");
    }
  }
}
