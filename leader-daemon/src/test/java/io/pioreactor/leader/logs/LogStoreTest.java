package io.pioreactor.leader.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.leader.config.StorageLimits;
import io.pioreactor.leader.database.Database;
import io.pioreactor.protocol.LogMessage;
import io.pioreactor.protocol.Topic;
import io.pioreactor.protocol.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** LogStore's queries: what {@code GET /api/logs} and {@code pio logs} ask of the stored lines. */
@ExtendWith(VertxExtension.class)
class LogStoreTest {
  @TempDir
  Path dir;
  private Database db;
  private LogStore store;

  @BeforeEach
  void open(Vertx vertx) {
    db = Database.open(vertx, dir.resolve("pio.sqlite")).await();
    store = new LogStore(db.pool(), StorageLimits.fromJson(new JsonObject()));
    // In order: w1/e1 INFO, w1/e1 WARNING, w2/e1 DEBUG, w2/e2 ERROR, w1/e2 NOTICE
    line("w1", "e1", "INFO", "one");
    line("w1", "e1", "WARNING", "two");
    line("w2", "e1", "DEBUG", "three");
    line("w2", "e2", "ERROR", "four");
    line("w1", "e2", "NOTICE", "five");
  }

  @AfterEach
  void close() {
    db.close().await();
  }

  private void line(String unit, String experiment, String level, String message) {
    String topic = Topics.log(unit, experiment, "app", level.toLowerCase(java.util.Locale.ROOT));
    store.store(topic, Topic.parse(topic).orElseThrow(), new LogMessage(message, "job", "app", level, null)).await();
  }

  private List<String> messages(LogQuery q) {
    JsonArray rows = store.search(q).await();
    return rows.stream().map(o -> ((JsonObject) o).getString("message")).toList();
  }

  private static LogQuery all(int limit) {
    return new LogQuery(null, null, null, null, null, 0, limit);
  }

  @Test
  @DisplayName("with no filter, every line comes back newest first, each with an id in the order lines came in")
  void newestFirstWithIds() {
    JsonArray rows = store.search(all(100)).await();
    assertThat(rows.stream().map(o -> ((JsonObject) o).getString("message"))).containsExactly("five", "four", "three", "two", "one");
    assertThat(rows.getJsonObject(0).getLong("id")).isGreaterThan(rows.getJsonObject(4).getLong("id"));
  }

  @Test
  @DisplayName("unit, experiment and minimum level filter together")
  void filtersCombine() {
    assertThat(messages(new LogQuery("w1", null, null, null, null, 0, 100))).containsExactly("five", "two", "one");
    assertThat(messages(new LogQuery(null, "e1", null, null, null, 0, 100))).containsExactly("three", "two", "one");
    assertThat(messages(new LogQuery(null, null, LogMessage.levelsFrom("notice").orElseThrow(), null, null, 0, 100)))
        .containsExactly("five", "four", "two");
    assertThat(messages(new LogQuery("w1", "e1", LogMessage.levelsFrom("WARNING").orElseThrow(), null, null, 0, 100)))
        .containsExactly("two");
  }

  @Test
  @DisplayName("before_id pages back through older lines, and skip skips the newest")
  void pagingBack() {
    JsonArray firstPage = store.search(all(2)).await();
    assertThat(firstPage.stream().map(o -> ((JsonObject) o).getString("message"))).containsExactly("five", "four");
    long oldestSeen = firstPage.getJsonObject(1).getLong("id");
    assertThat(messages(new LogQuery(null, null, null, oldestSeen, null, 0, 2))).containsExactly("three", "two");
    assertThat(messages(new LogQuery(null, null, null, null, null, 3, 100))).containsExactly("two", "one");
  }

  @Test
  @DisplayName("after_id gives the lines that came later, oldest first, so a follower misses none and repeats none")
  void followingAfterAnId() {
    long idOfTwo = store.search(new LogQuery(null, null, null, null, null, 3, 1)).await().getJsonObject(0).getLong("id");
    assertThat(messages(new LogQuery(null, null, null, null, idOfTwo, 0, 100))).containsExactly("three", "four", "five");
    assertThat(messages(new LogQuery("w1", null, null, null, idOfTwo, 0, 100))).containsExactly("five");
    long newest = store.search(all(1)).await().getJsonObject(0).getLong("id");
    assertThat(messages(new LogQuery(null, null, null, null, newest, 0, 100))).isEmpty();
    line("w2", "e2", "INFO", "six");
    assertThat(messages(new LogQuery(null, null, null, null, newest, 0, 100))).containsExactly("six");
  }

  @Test
  @DisplayName("a minimum level is upstream's: that level and those above, in any case; anything else is not a level")
  void levelsFromAMinimum() {
    assertThat(LogMessage.levelsFrom("warning")).contains(List.of("WARNING", "ERROR"));
    assertThat(LogMessage.levelsFrom("DEBUG").orElseThrow()).hasSize(5);
    assertThat(LogMessage.levelsFrom("loud")).isEmpty();
    assertThat(LogMessage.levelsFrom(null)).isEmpty();
  }

  @Test
  @DisplayName("each stored line is handed on, in order, exactly as GET /api/logs then gives it, its id included")
  void storedLinesAreHandedOnWithTheirIds() {
    List<JsonObject> live = new java.util.ArrayList<>();
    store.onStored(live::add);
    long before = store.search(all(1)).await().getJsonObject(0).getLong("id");
    // Several in one batch (not awaited one by one), so the ids of a batch are worked out, not only of single rows.
    java.util.List<io.vertx.core.Future<Void>> pending = new java.util.ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String topic = Topics.log("w" + (i % 3), "e1", "app", "info");
      pending.add(store.store(topic, Topic.parse(topic).orElseThrow(), new LogMessage("m" + i, "job", "app", "INFO", null)));
    }
    io.vertx.core.Future.all(pending).await();
    JsonArray stored = store.search(new LogQuery(null, null, null, null, before, 0, 100)).await();
    assertThat(stored).hasSize(30);
    assertThat(live).containsExactlyElementsOf(stored.stream().map(JsonObject.class::cast).toList());
  }
}
