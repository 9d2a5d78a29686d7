package io.pioreactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.pioreactor.protocol.LogMessage;
import io.pioreactor.protocol.Topics;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pio logs}, run as its own process against a leader and two worker daemons: the last lines filtered by unit,
 * experiment and level, as text or JSON lines, and {@code -f} following a unit's new lines live (the worker daemon's
 * own and ones a unit publishes), through a leader restart. Lines are published as the units themselves would, under
 * their own topics, with their own broker credentials.
 */
class LogsEndToEndTest {
  private static final Duration SOON = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private static void say(MqttClient unit, String name, String experiment, String level, String message) {
    unit.publish(Topics.log(name, experiment, "app", level.toLowerCase(java.util.Locale.ROOT)),
        new LogMessage(message, "e2e", "app", level, null).toBuffer(), MqttQoS.AT_LEAST_ONCE, false, false).await();
  }

  private static void awaitStored(Cluster c, String message) {
    Cluster.awaitTrue("'" + message + "' stored", SOON, () -> c.http.get("/api/logs?limit=1000").body().contains(message));
  }

  private static List<String> lines(String out) {
    return Arrays.stream(out.split("\n")).filter(l -> !l.isBlank()).toList();
  }

  @Test
  @DisplayName("pio logs prints the last lines filtered by unit, experiment and level, oldest first, and -f follows a unit's new lines live, through a leader restart")
  void logsAndFollow() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(false);
      c.startWorker("worker1");
      c.startWorker("worker2");
      c.addAndAssign("e1", "worker1", "worker2");
      MqttClient w1 = c.mqttClient("worker1", "worker1-logs");
      MqttClient w2 = c.mqttClient("worker2", "worker2-logs");
      say(w1, "worker1", "e1", "INFO", "old-w1-info");
      say(w1, "worker1", "e1", "WARNING", "old-w1-warning");
      say(w2, "worker2", "e1", "INFO", "old-w2-info");
      say(w1, "worker1", "e2", "ERROR", "old-w1-e2-error");
      awaitStored(c, "old-w1-e2-error");
      awaitStored(c, "old-w2-info");

      Cli.Result ofUnit = c.cli.run("logs", "--unit", "worker1", "-n", "1000");
      assertThat(ofUnit.exitCode()).as(ofUnit.all()).isZero();
      assertThat(ofUnit.out()).contains("old-w1-info", "old-w1-warning", "old-w1-e2-error").doesNotContain("old-w2-info");
      assertThat(ofUnit.out().indexOf("old-w1-info")).as("oldest first").isLessThan(ofUnit.out().indexOf("old-w1-warning"));
      assertThat(ofUnit.out()).contains("[worker1/e1] WARNING e2e: old-w1-warning");

      Cli.Result warnings = c.cli.run("logs", "--unit", "worker1", "--experiment", "e1", "--level", "warning", "-n", "1000");
      assertThat(warnings.out()).contains("old-w1-warning").doesNotContain("old-w1-info").doesNotContain("old-w1-e2-error");

      Cli.Result json = c.cli.run("logs", "--json", "-n", "2", "--unit", "worker1");
      List<String> jsonLines = lines(json.out());
      assertThat(jsonLines).hasSize(2);
      assertThat(new JsonObject(jsonLines.get(1)).getString("message")).isEqualTo("old-w1-e2-error");
      assertThat(new JsonObject(jsonLines.get(1)).getString("pioreactor_unit")).isEqualTo("worker1");

      for (String[] bad : List.of(new String[] {"logs", "--level", "loud"}, new String[] {"logs", "-n", "0"},
          new String[] {"logs", "--unit", "no such/unit"}, new String[] {"logs", "extra"})) {
        Cli.Result r = c.cli.run(bad);
        assertThat(r.exitCode()).as(String.join(" ", bad) + ": " + r.all()).isEqualTo(2);
      }

      try (Cli.Running follow = c.cli.start("logs", "-f", "--unit", "worker1", "--level", "INFO", "-n", "1")) {
        Cluster.awaitTrue("the follower printed the last line", SOON, () -> follow.out().contains("old-w1-e2-error"));
        say(w2, "worker2", "e1", "INFO", "live-w2-not-for-this-follower");
        say(w1, "worker1", "e1", "DEBUG", "live-w1-debug-below-the-level");
        awaitStored(c, "live-w2-not-for-this-follower");
        awaitStored(c, "live-w1-debug-below-the-level");
        say(w1, "worker1", "e1", "INFO", "live-w1-first");
        Cluster.awaitTrue("the follower printed a new line", SOON, () -> follow.out().contains("live-w1-first"));
        // Lines are followed in the order they were stored: the two stored before this one would be printed by now.
        assertThat(follow.out()).doesNotContain("live-w2-not-for-this-follower").doesNotContain("live-w1-debug-below-the-level");

        // The worker daemon's own line, as it logs it.
        assertThat(c.http.send("POST", "/api/workers/worker1/blink", null).status()).isEqualTo(202);
        Cluster.awaitTrue("the follower printed worker1's identify line", SOON, () -> follow.out().contains("identify"));

        c.killLeader();
        Cluster.awaitTrue("the follower says the leader is away", SOON, () -> follow.err().contains("cannot reach the leader"));
        c.restartLeader();
        MqttClient again = c.mqttClient("worker1", "worker1-logsagain");
        // Said again every 2 s: a line published before the restarted leader has subscribed reaches no one.
        for (int i = 0; i < 15 && !follow.out().contains("live-w1-after-restart"); i++) {
          say(again, "worker1", "e1", "INFO", "live-w1-after-restart " + i);
          Thread.sleep(2_000);
        }
        assertThat(follow.out()).as("the follower printed a line after the restart").contains("live-w1-after-restart");
        assertThat(follow.err()).contains("the leader answers again");
        assertThat(follow.isAlive()).isTrue();
        long once = lines(follow.out()).stream().filter(l -> l.contains("live-w1-first")).count();
        assertThat(once).as("no line printed twice").isEqualTo(1);
      }
    }
  }
}
