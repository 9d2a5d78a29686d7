package io.pioreactor.leader.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pioreactor.leader.api.ApiException;
import io.pioreactor.leader.database.Database;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class TimeSeriesTest {
  @TempDir
  Path dir;
  private Database db;
  private TimeSeries series;
  private final Instant now = Instant.now();

  @BeforeEach
  void open(Vertx vertx) {
    db = Database.open(vertx, dir.resolve("pio.sqlite")).await();
    series = new TimeSeries(db.pool());
  }

  @AfterEach
  void close() {
    db.close().await();
  }

  /** {@code n} OD readings on a channel, one a second, the newest {@code newestAgo} ago. */
  private void od(String unit, int channel, int n, Duration newestAgo) {
    List<Tuple> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(Tuple.of("e1", unit, UnitTime.format(now.minus(newestAgo).minusSeconds(n - 1 - i)), 0.05 + i * 1e-6, 90, channel));
    }
    db.pool().preparedQuery(ReadingTable.OD_READINGS.insertSql()).executeBatch(rows).await();
  }

  @Test
  @DisplayName("od readings come as upstream's series per unit and channel, only within the lookback, oldest first")
  void seriesPerUnitAndChannel() {
    od("w1", 1, 10, Duration.ZERO);
    od("w1", 2, 5, Duration.ZERO);
    od("w2", 1, 3, Duration.ofHours(5)); // older than the 4 h lookback
    JsonObject answer = series.read(ReadingTable.OD_READINGS, null, "e1", null, new TimeSeries.Query(4, 720, null)).await();
    assertThat(answer.getJsonArray("series")).containsExactly("w1-1", "w1-2");
    JsonArray w1 = answer.getJsonArray("data").getJsonArray(0);
    assertThat(w1.size()).isEqualTo(10);
    assertThat(w1.getJsonObject(0).getString("x")).isLessThan(w1.getJsonObject(9).getString("x"));
    assertThat(w1.getJsonObject(1).getValue("y")).as("exactly the stored value, rounded as upstream: no float on the way").isEqualTo(0.050001);
    assertThat(series.read(ReadingTable.OD_READINGS, null, "e1", "w2", new TimeSeries.Query(6, 720, null)).await()
        .getJsonArray("series")).as("a longer lookback reaches w2").containsExactly("w2-1");
  }

  @Test
  @DisplayName("a long series is spread to about target_points, newest reading last; filter_mod_N keeps every Nth")
  void longSeriesAreSpread() {
    od("w1", 1, 5_000, Duration.ZERO);
    JsonArray points = series.read(ReadingTable.OD_READINGS, null, "e1", "w1", new TimeSeries.Query(4, 100, null)).await()
        .getJsonArray("data").getJsonArray(0);
    assertThat(points.size()).isEqualTo(100);
    assertThat(points.getJsonObject(0).getString("x")).as("the first reading stays").isEqualTo(UnitTime.format(now.minusSeconds(4_999)));
    assertThat(points.getJsonObject(points.size() - 1).getString("x")).isEqualTo(UnitTime.format(now));
    JsonArray everyTenth = series.read(ReadingTable.OD_READINGS, null, "e1", "w1", new TimeSeries.Query(4, 720, 10)).await()
        .getJsonArray("data").getJsonArray(0);
    assertThat(everyTenth.size()).isBetween(500, 501);
    assertThat(series.read(ReadingTable.OD_READINGS, null, "e1", "w1", new TimeSeries.Query(4, 1, null)).await()
        .getJsonArray("data").getJsonArray(0).getJsonObject(0).getString("x")).as("one point: the newest").isEqualTo(UnitTime.format(now));
  }

  @Test
  @DisplayName("the generic column route reads the same rows as one series per unit")
  void genericColumn() {
    od("w1", 1, 4, Duration.ZERO);
    od("w1", 2, 4, Duration.ZERO);
    JsonObject answer = series.read(ReadingTable.OD_READINGS, "od_reading", "e1", null, new TimeSeries.Query(4, 720, null)).await();
    assertThat(answer.getJsonArray("series")).containsExactly("w1");
    assertThat(answer.getJsonArray("data").getJsonArray(0).size()).isEqualTo(8);
  }

  @Test
  @DisplayName("LED changes come as a series per unit and channel; filter_mod_N never answers more than the cap")
  void ledChannelsAndEveryNthCap() {
    List<Tuple> rows = new ArrayList<>();
    for (String ch : List.of("A", "B")) {
      rows.add(Tuple.of("e1", "w1", UnitTime.format(now.minusSeconds(10)), ch, 20.0, "led_intensity"));
    }
    db.pool().preparedQuery(ReadingTable.LED_CHANGE_EVENTS.insertSql()).executeBatch(rows).await();
    assertThat(series.read(ReadingTable.LED_CHANGE_EVENTS, null, "e1", null, new TimeSeries.Query(4, 720, null)).await()
        .getJsonArray("series")).containsExactly("w1-A", "w1-B");
    od("w1", 1, TimeSeries.MAX_TARGET_POINTS * 2 + 10, Duration.ZERO);
    JsonArray every = series.read(ReadingTable.OD_READINGS, null, "e1", "w1", new TimeSeries.Query(24, 720, 1)).await()
        .getJsonArray("data").getJsonArray(0);
    assertThat(every.size()).isLessThanOrEqualTo(TimeSeries.MAX_TARGET_POINTS + 1);
  }

  @Test
  @DisplayName("bad query bounds are refused with a 400, before anything is read")
  void badBounds() {
    assertThatThrownBy(() -> new TimeSeries.Query(4, 0, null)).isInstanceOf(ApiException.class).hasMessageContaining("target_points");
    assertThat(new TimeSeries.Query(4, 1_000_000, null).targetPoints()).as("capped, not refused (upstream's page asks for a million)")
        .isEqualTo(TimeSeries.MAX_TARGET_POINTS);
    assertThatThrownBy(() -> new TimeSeries.Query(-1, 10, null)).isInstanceOf(ApiException.class).hasMessageContaining("lookback");
    assertThatThrownBy(() -> new TimeSeries.Query(Double.NaN, 10, null)).isInstanceOf(ApiException.class);
    assertThat(new TimeSeries.Query(1_000_000, 10, null).lookbackHours()).as("capped, not refused (upstream's \"All time\")")
        .isEqualTo(TimeSeries.MAX_LOOKBACK_HOURS);
    assertThat(new TimeSeries.Query(Double.POSITIVE_INFINITY, 10, null).lookbackHours()).isEqualTo(TimeSeries.MAX_LOOKBACK_HOURS);
    assertThatThrownBy(() -> new TimeSeries.Query(4, 10, 0)).isInstanceOf(ApiException.class).hasMessageContaining("filter_mod_N");
  }
}
