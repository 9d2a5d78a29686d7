package io.pioreactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.pioreactor.protocol.LogMessage;
import io.pioreactor.protocol.Topics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stored log lines on {@code GET /api/events} ({@code event: logs}), against a leader and a worker daemon, with lines
 * published as the unit would, under its own topics and credentials.
 */
class LiveLogsEndToEndTest {
  private static final Duration SOON = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  private static Future<Integer> say(MqttClient unit, String message) {
    return unit.publish(Topics.log("worker1", "e1", "app", "info"), new LogMessage(message, "e2e", "app", "INFO", null).toBuffer(),
        MqttQoS.AT_LEAST_ONCE, false, false);
  }

  private static List<JsonObject> lines(JsonObject event) {
    return event.getJsonArray("lines").stream().map(JsonObject.class::cast).toList();
  }

  @Test
  @DisplayName("a stored line reaches the event stream as a logs event, exactly the row GET /api/logs gives for it")
  void aStoredLineIsOnTheStreamAsItsRow() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(false);
      c.startWorker("worker1");
      c.addAndAssign("e1", "worker1");
      MqttClient unit = c.mqttClient("worker1", "worker1-livelogs");
      List<JsonObject> events = new CopyOnWriteArrayList<>();
      try (AutoCloseable stream = c.http.events((name, data) -> {
        if (name.equals("logs")) {
          events.add(new JsonObject(data));
        }
      })) {
        Cluster.awaitTrue("the stream open", SOON, () -> {
          say(unit, "probe").await();
          return !events.isEmpty();
        });
        say(unit, "<b>the line</b>").await();
        Cluster.awaitTrue("the line on the stream", SOON,
            () -> events.stream().flatMap(e -> lines(e).stream()).anyMatch(l -> l.getString("message").equals("<b>the line</b>")));
      }
      JsonObject live = events.stream().flatMap(e -> lines(e).stream())
          .filter(l -> l.getString("message").equals("<b>the line</b>")).findFirst().orElseThrow();
      JsonArray stored = new JsonArray(c.http.get("/api/logs?after_id=" + (live.getLong("id") - 1) + "&limit=1").body());
      assertThat(live).isEqualTo(stored.getJsonObject(0));
      assertThat(live.getString("pioreactor_unit")).isEqualTo("worker1");
      assertThat(live.getString("experiment")).isEqualTo("e1");
    }
  }

  @Test
  @DisplayName("a burst of lines comes as events of at most 200 lines each; with what the events say was dropped, fetched by after_id, no line is missing or repeated")
  void aBurstIsBoundedAndNothingIsLost() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(false);
      c.startWorker("worker1");
      c.addAndAssign("e1", "worker1");
      MqttClient unit = c.mqttClient("worker1", "worker1-livelogs");
      List<JsonObject> events = new CopyOnWriteArrayList<>();
      int n = 250; // under the leader's default burst per unit (300): every line is stored
      try (AutoCloseable stream = c.http.events((name, data) -> {
        if (name.equals("logs")) {
          events.add(new JsonObject(data));
        }
      })) {
        Cluster.awaitTrue("the stream open", SOON, () -> {
          say(unit, "probe").await();
          return !events.isEmpty();
        });
        List<Future<Integer>> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          sent.add(say(unit, String.format("burst-%03d", i)));
        }
        Future.all(sent).await();
        Cluster.awaitTrue("the last line accounted for", SOON, () -> c.http.get("/api/logs?limit=1&unit=worker1").body().contains("burst-249")
            && events.stream().anyMatch(e -> lines(e).stream().anyMatch(l -> l.getString("message").equals("burst-249"))));
      }
      Map<Long, String> seen = new TreeMap<>();
      int withDrops = 0;
      for (JsonObject e : events) {
        assertThat(lines(e)).hasSizeLessThanOrEqualTo(200);
        lines(e).forEach(l -> assertThat(seen.put(l.getLong("id"), l.getString("message"))).as("sent twice").isNull());
        if (e.getLong("dropped") > 0) {
          withDrops++;
          // What a client does: ask for the lines after the oldest one left out, up to this event's first line.
          long first = lines(e).get(0).getLong("id");
          JsonArray missed = new JsonArray(c.http.get("/api/logs?after_id=" + (e.getLong("oldest_dropped_id") - 1) + "&limit=1000").body());
          missed.stream().map(JsonObject.class::cast).filter(l -> l.getLong("id") < first)
              .forEach(l -> assertThat(seen.put(l.getLong("id"), l.getString("message"))).as("dropped yet sent").isNull());
          assertThat(missed.stream().map(JsonObject.class::cast).filter(l -> l.getLong("id") < first)).hasSize(e.getLong("dropped").intValue());
        } else {
          assertThat(e.getValue("oldest_dropped_id")).isNull();
        }
      }
      List<String> burst = seen.values().stream().filter(m -> m.startsWith("burst-")).toList();
      assertThat(burst).as("every line, in the order stored").hasSize(n).isSorted();
      System.out.printf("burst of %d lines: %d logs events, %d with lines dropped%n", n, events.size(), withDrops);
    }
  }
}
