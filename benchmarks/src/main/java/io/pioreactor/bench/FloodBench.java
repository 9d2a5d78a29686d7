package io.pioreactor.bench;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.pioreactor.protocol.LogMessage;
import io.pioreactor.protocol.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A unit that misbehaves: {@code n} QoS 0 publishes from one unit's own credentials, as fast as they can be written,
 * over everything the broker lets a unit publish (job states and settings of ever new jobs, facts, replies, logs),
 * against the leader as installed (embedded broker, credentials, the unit's JVM flags). Meanwhile
 * {@code GET /api/health} is timed over one kept-alive connection: before the flood (the floor), during it, and after.
 * Also the leader's RSS before and after, and what it kept: jobs, log rows, history rows.
 */
final class FloodBench {
  record Result(int sent, int closes, Percentiles before, Percentiles during, Percentiles after, long rssBeforeKb,
                long rssAfterKb, int jobsKept, long logRows, long historyRows, double seconds, LiveLogs live) {}

  /** What a page following the event stream got of the unit's lines: {@code logs} events, their largest, lines left out. */
  record LiveLogs(int events, int maxLines, long lines, long dropped) {}

  private FloodBench() {}

  static Result measure(Vertx vertx, Path repo, int n) throws Exception {
    Path dir = Files.createTempDirectory("bench-flood");
    try (LeaderProcess leader = LeaderProcess.start(repo, dir, 0)) {
      leader.addWorkers(List.of("flooder"), null);
      int[] events = {0};
      int[] maxLines = {0};
      long[] lines = {0, 0};
      EventStreamReader stream = new EventStreamReader(leader, "logs", (data, at) -> {
        synchronized (events) {
          events[0]++;
          maxLines[0] = Math.max(maxLines[0], data.getJsonArray("lines").size());
          lines[0] += data.getJsonArray("lines").size();
          lines[1] += data.getLong("dropped");
        }
      });
      stream.awaitOpen();
      Percentiles before = probe(leader, 200, null);
      long rssBefore = ProcStats.rssKb(leader.pid());
      MqttClientOptions o = new MqttClientOptions().setClientId("flooder-flood").setMaxInflightQueue(100_000);
      o.setUsername("flooder").setPassword(leader.credentials().password("flooder"));
      int[] written = {0};
      int[] closes = {0};
      AtomicBoolean flooding = new AtomicBoolean(true);
      long t0 = System.nanoTime();
      // A misbehaving unit does not stop at being cut off: it connects again and goes on, until n are written.
      Thread flood = new Thread(() -> {
        try {
          while (written[0] < n) {
            MqttClient unit = MqttClient.create(vertx, o);
            AtomicBoolean closed = new AtomicBoolean();
            unit.closeHandler(v -> closed.set(true));
            if (!unit.connect(leader.brokerPort(), "127.0.0.1").map(ack -> true).otherwise(false).await()) {
              Thread.sleep(100);
              continue;
            }
            publish(unit, written, n, closed);
            if (closed.get()) {
              closes[0]++;
            }
            unit.disconnect().otherwiseEmpty().await();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          flooding.set(false);
        }
      });
      flood.start();
      Percentiles during = probe(leader, 0, flooding);
      flood.join();
      double seconds = (System.nanoTime() - t0) / 1e9;
      Thread.sleep(2_000); // what the broker still delivers to the leader
      Percentiles after = probe(leader, 200, null);
      long rssAfter = ProcStats.rssKb(leader.pid());
      int jobs = ((JsonArray) io.vertx.core.json.Json.decodeValue(leader.get("/api/units/flooder/activities"))).size();
      long logs = count(dir, "SELECT count(*) FROM logs WHERE pioreactor_unit = 'flooder'");
      long history = count(dir, "SELECT count(*) FROM activity_history WHERE pioreactor_unit = 'flooder'");
      stream.close();
      LiveLogs live;
      synchronized (events) {
        live = new LiveLogs(events[0], maxLines[0], lines[0], lines[1]);
      }
      return new Result(n, closes[0], before, during, after, rssBefore, rssAfter, jobs, logs, history, seconds, live);
    }
  }

  private static void publish(MqttClient unit, int[] written, int n, AtomicBoolean closed) {
    try {
      for (; written[0] < n && !closed.get(); written[0]++) {
        int i = written[0];
        String topic = switch (i % 5) {
          case 0 -> Topics.jobState("flooder", "exp" + i, "job" + i);
          case 1 -> Topics.job("flooder", "exp" + (i % 50), "stirring", "target_rpm");
          case 2 -> Topics.monitor("flooder", Topics.IPV4);
          case 3 -> Topics.commandReply("flooder", "c" + i);
          default -> Topics.log("flooder", "exp" + (i % 50), "app", "info");
        };
        Buffer payload = i % 5 == 4 ? new LogMessage("line " + i, "flood", "app", "INFO", null).toBuffer()
            : Buffer.buffer(i % 5 == 2 ? "10.0.0." + (i % 250) : "ready");
        unit.publish(topic, payload, MqttQoS.AT_MOST_ONCE, false, false);
      }
    } catch (RuntimeException closedOnIt) {
      closed.set(true);
    }
  }

  /** Times health reads: {@code count} of them, or as many as fit while {@code until} is true (at least 20). */
  private static Percentiles probe(LeaderProcess leader, int count, AtomicBoolean until) throws Exception {
    List<Long> nanos = new ArrayList<>();
    for (int i = 0; until == null ? i < count : until.get() || nanos.size() < 20; i++) {
      long t0 = System.nanoTime();
      var r = leader.fetch("/api/health");
      if (r.statusCode() != 200) {
        throw new IllegalStateException("health answered " + r.statusCode() + " during the flood: " + r.body());
      }
      nanos.add(System.nanoTime() - t0);
      Thread.sleep(5);
    }
    return Percentiles.of(nanos);
  }

  private static long count(Path dir, String sql) throws Exception {
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("pio.sqlite")); var rs = c.createStatement().executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  static JsonObject toJson(Result r) {
    return new JsonObject().put("sent", r.sent()).put("closed_by_broker", r.closes()).put("seconds", r.seconds())
        .put("health_before", r.before().toJson()).put("health_during", r.during().toJson()).put("health_after", r.after().toJson())
        .put("rss_before_kb", r.rssBeforeKb()).put("rss_after_kb", r.rssAfterKb()).put("jobs_kept", r.jobsKept())
        .put("log_rows", r.logRows()).put("history_rows", r.historyRows())
        .put("logs_events", r.live().events()).put("logs_event_max_lines", r.live().maxLines())
        .put("logs_lines_sent", r.live().lines()).put("logs_lines_dropped", r.live().dropped());
  }
}
