package io.pioreactor.leader.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.leader.config.StorageLimits;
import io.pioreactor.leader.database.Database;
import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Readings;
import io.pioreactor.protocol.Topic;
import io.pioreactor.protocol.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class TelemetryStoreTest {
  @TempDir
  Path dir;
  private Database db;
  private TelemetryStore store;
  private final List<JsonObject> handedOver = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open(Vertx vertx) {
    db = Database.open(vertx, dir.resolve("pio.sqlite")).await();
    store = new TelemetryStore(vertx, db.pool(), StorageLimits.fromJson(new JsonObject()
        .put("readings_rate_per_unit", 10).put("readings_burst_per_unit", 50))).onStored(handedOver::add);
  }

  @AfterEach
  void close() {
    store.close();
    db.close().await();
  }

  private Future<Void> publish(String topic, JsonObject payload, boolean retained) {
    return store.store(topic, Topic.parse(topic).orElseThrow(), payload.toBuffer(), retained);
  }

  private static String ago(Duration d) {
    return Instant.now().minus(d).toString();
  }

  private String text(String sql) {
    return db.pool().query(sql).execute().await().iterator().next().getString(0);
  }

  private long count(String table) {
    return db.pool().query("SELECT COUNT(*) AS n FROM " + table).execute().await().iterator().next().getLong("n");
  }

  @Test
  @DisplayName("each reading lands in upstream's table and columns, keyed by unit and experiment, at the unit's time")
  void readingsInUpstreamTables() {
    String t = "2026-12-02T10:00:00.5Z";
    List<Future<Void>> all = new ArrayList<>();
    all.add(publish(Topics.job("w1", "e1", Jobs.OD_READING, Readings.odChannel(1)),
        new JsonObject().put("od", 0.0512).put("angle", "90").put("channel", "1").put("timestamp", t), false));
    all.add(publish(Topics.job("w1", "e1", Jobs.OD_READING, Readings.odChannel(2)),
        new JsonObject().put("od", 1.2).put("angle", "REF").put("channel", "2").put("timestamp", t), false));
    all.add(publish(Topics.job("w1", "e1", Jobs.GROWTH_RATE_CALCULATING, Readings.GROWTH_RATE),
        new JsonObject().put("growth_rate", 0.31).put("timestamp", t), false));
    all.add(publish(Topics.job("w1", "e1", Jobs.GROWTH_RATE_CALCULATING, Readings.OD_FILTERED),
        new JsonObject().put("od_filtered", 1.01).put("timestamp", t), false));
    all.add(publish(Topics.job("w1", "e1", Jobs.TEMPERATURE_AUTOMATION, Readings.TEMPERATURE),
        new JsonObject().put("temperature", 30.2).put("timestamp", t), false));
    all.add(publish(Topics.job("w1", "e1", Jobs.STIRRING, Topics.MEASURED_RPM),
        new JsonObject().put("measured_rpm", 402.0).put("timestamp", t), false));
    all.add(publish("pioreactor/w1/e1/" + Topics.DOSING_EVENTS, new JsonObject().put("volume_change", 0.5)
        .put("event", Jobs.ADD_MEDIA).put("source_of_event", "dosing_automation").put("timestamp", t), false));
    all.add(publish("pioreactor/w1/e1/" + Topics.LED_CHANGE_EVENTS, new JsonObject().put("channel", "B")
        .put("intensity", 20.0).put("source_of_event", Jobs.LED_INTENSITY).put("timestamp", t), false));
    Future.all(all).await();

    var od = db.pool().query("SELECT * FROM od_readings").execute().await();
    assertThat(od.size()).as("the REF photodiode is not the culture: not stored, as upstream").isEqualTo(1);
    var row = od.iterator().next();
    assertThat(row.getString("experiment")).isEqualTo("e1");
    assertThat(row.getString("pioreactor_unit")).isEqualTo("w1");
    assertThat(row.getString("timestamp")).isEqualTo("2026-12-02T10:00:00.500000Z");
    assertThat(db.pool().query("SELECT CAST(od_reading AS TEXT) AS t FROM od_readings").execute().await().iterator().next().getString("t"))
        .as("stored exactly, not as a float").isEqualTo("0.0512");
    assertThat(row.getInteger("angle")).isEqualTo(90);
    assertThat(row.getInteger("channel")).isEqualTo(1);
    assertThat(db.pool().query("SELECT CAST(rate AS TEXT) FROM growth_rates").execute().await().iterator().next().getString(0)).isEqualTo("0.31");
    assertThat(text("SELECT CAST(normalized_od_reading AS TEXT) FROM od_readings_filtered")).isEqualTo("1.01");
    assertThat(text("SELECT CAST(temperature_c AS TEXT) FROM temperature_readings")).isEqualTo("30.2");
    assertThat(text("SELECT CAST(measured_rpm AS TEXT) FROM stirring_rates")).isEqualTo("402.0");
    var dose = db.pool().query("SELECT event, volume_change_ml, source_of_event FROM dosing_events").execute().await().iterator().next();
    assertThat(dose.getString("event")).isEqualTo(Jobs.ADD_MEDIA);
    assertThat(dose.getDouble("volume_change_ml")).isEqualTo(0.5);
    var led = db.pool().query("SELECT channel, intensity FROM led_change_events").execute().await().iterator().next();
    assertThat(led.getString("channel")).isEqualTo("B");
    assertThat(led.getDouble("intensity")).isEqualTo(20.0);
  }

  @Test
  @DisplayName("a unit publishing faster than its limit is throttled: the burst is kept, the rest dropped, never queued without end")
  void fastUnitsAreThrottled() {
    List<Future<Void>> all = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      all.add(publish(Topics.job("w1", "e1", Jobs.GROWTH_RATE_CALCULATING, Readings.GROWTH_RATE),
          new JsonObject().put("growth_rate", i).put("timestamp", ago(Duration.ofMillis(2_000 - i))), false));
    }
    all.add(publish(Topics.job("w2", "e1", Jobs.GROWTH_RATE_CALCULATING, Readings.GROWTH_RATE),
        new JsonObject().put("growth_rate", 1).put("timestamp", ago(Duration.ZERO)), false));
    Future.join(all).await();
    long rows = count("growth_rates");
    assertThat(rows).as("w1's burst of 50 (plus what refilled meanwhile) and w2's one").isBetween(51L, 120L);
  }

  @Test
  @DisplayName("readings nobody can believe are dropped: not numbers, no time, a time out of range, a bad channel, too big, not JSON")
  void unbelievableReadingsAreDropped() {
    String topic = Topics.job("w1", "e1", Jobs.TEMPERATURE_AUTOMATION, Readings.TEMPERATURE);
    List<Future<Void>> all = new ArrayList<>();
    all.add(publish(topic, new JsonObject().put("temperature", "hot").put("timestamp", ago(Duration.ZERO)), false));
    all.add(publish(topic, new JsonObject().put("temperature", 30), false));
    all.add(publish(topic, new JsonObject().put("temperature", 30).put("timestamp", "yesterday"), false));
    all.add(publish(topic, new JsonObject().put("temperature", 30).put("timestamp", "1970-01-01T00:00:00Z"), false));
    all.add(publish(topic, new JsonObject().put("temperature", 30).put("timestamp", ago(Duration.ZERO)).put("pad", "x".repeat(3_000)), false));
    all.add(publish("pioreactor/w1/e1/" + Topics.LED_CHANGE_EVENTS,
        new JsonObject().put("channel", "<b>").put("intensity", 1).put("timestamp", ago(Duration.ZERO)), false));
    all.add(store.store(topic, Topic.parse(topic).orElseThrow(), Buffer.buffer("{not json"), false));
    all.add(store.store(topic, Topic.parse(topic).orElseThrow(), Buffer.buffer("NaN"), false));
    Future.join(all).await();
    assertThat(count("temperature_readings")).isZero();
    assertThat(count("led_change_events")).isZero();
  }

  @Test
  @DisplayName("a retained reading replayed on reconnect is not stored a second time")
  void retainedReplaysAreNotStored() {
    String topic = Topics.job("w1", "e1", Jobs.STIRRING, Topics.MEASURED_RPM);
    publish(topic, new JsonObject().put("measured_rpm", 400).put("timestamp", ago(Duration.ZERO)), true).await();
    assertThat(count("stirring_rates")).isZero();
  }

  @Test
  @DisplayName("stored readings are handed to the live stream once committed, grouped by experiment")
  void committedReadingsAreHandedOver(Vertx vertx) throws Exception {
    publish(Topics.job("w1", "e1", Jobs.GROWTH_RATE_CALCULATING, Readings.GROWTH_RATE),
        new JsonObject().put("growth_rate", 0.123456789).put("timestamp", ago(Duration.ZERO)), false).await();
    publish(Topics.job("w2", "e2", Jobs.GROWTH_RATE_CALCULATING, Readings.GROWTH_RATE),
        new JsonObject().put("growth_rate", 0.2).put("timestamp", ago(Duration.ZERO)), false).await();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (handedOver.size() < 2 && System.nanoTime() < deadline) {
      vertx.timer(50).await();
    }
    assertThat(handedOver).extracting(o -> o.getString("experiment")).containsExactlyInAnyOrder("e1", "e2");
    JsonObject e1 = handedOver.stream().filter(o -> o.getString("experiment").equals("e1")).findFirst().orElseThrow();
    JsonArray readings = e1.getJsonArray("readings");
    assertThat(readings.size()).isEqualTo(1);
    assertThat(readings.getJsonObject(0).getString("table")).isEqualTo("growth_rates");
    assertThat(readings.getJsonObject(0).getString("series")).isEqualTo("w1");
    assertThat(readings.getJsonObject(0).getDouble("y")).as("rounded as upstream rounds growth rates").isEqualTo(0.12346);
  }
}
