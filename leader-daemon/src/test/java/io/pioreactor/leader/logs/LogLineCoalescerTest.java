package io.pioreactor.leader.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LogLineCoalescerTest {
  private static JsonObject line(long id) {
    return new JsonObject().put("id", id).put("message", "line " + id);
  }

  private static List<Long> ids(JsonObject event) {
    return event.getJsonArray("lines").stream().map(o -> ((JsonObject) o).getLong("id")).toList();
  }

  @Test
  @DisplayName("nothing added: nothing to send")
  void emptyDrainsToNothing() {
    assertThat(new LogLineCoalescer(5).drain()).isEmpty();
  }

  @Test
  @DisplayName("lines under the bound come out together, oldest first, with nothing dropped")
  void linesUnderTheBoundComeOutTogether() {
    LogLineCoalescer c = new LogLineCoalescer(5);
    LongStream.rangeClosed(1, 3).forEach(i -> c.add(line(i)));
    JsonObject event = c.drain().orElseThrow();
    assertThat(ids(event)).containsExactly(1L, 2L, 3L);
    assertThat(event.getLong("dropped")).isZero();
    assertThat(event.getValue("oldest_dropped_id")).isNull();
  }

  @Test
  @DisplayName("only the first line since a drain asks for one to be scheduled")
  void onlyTheFirstLineSinceADrainSchedulesOne() {
    LogLineCoalescer c = new LogLineCoalescer(2);
    assertThat(c.add(line(1))).isTrue();
    assertThat(c.add(line(2))).isFalse();
    assertThat(c.add(line(3))).isFalse();
    c.drain();
    assertThat(c.add(line(4))).isTrue();
  }

  @Test
  @DisplayName("past the bound the newest lines are kept and the event says how many older ones were left out, and the oldest of them")
  void pastTheBoundTheNewestAreKeptAndTheRestCounted() {
    LogLineCoalescer c = new LogLineCoalescer(3);
    LongStream.rangeClosed(10, 19).forEach(i -> c.add(line(i)));
    JsonObject event = c.drain().orElseThrow();
    assertThat(ids(event)).containsExactly(17L, 18L, 19L);
    assertThat(event.getLong("dropped")).isEqualTo(7);
    assertThat(event.getLong("oldest_dropped_id")).isEqualTo(10);
  }

  @Test
  @DisplayName("a flood holds no more than the bound, however many lines come")
  void aFloodHoldsNoMoreThanTheBound() {
    LogLineCoalescer c = new LogLineCoalescer(200);
    LongStream.rangeClosed(1, 1_000_000).forEach(i -> c.add(line(i)));
    JsonObject event = c.drain().orElseThrow();
    JsonArray lines = event.getJsonArray("lines");
    assertThat(lines).hasSize(200);
    assertThat(event.getLong("dropped")).isEqualTo(1_000_000 - 200);
  }

  @Test
  @DisplayName("a drain starts afresh: the next event has only what came after it")
  void aDrainStartsAfresh() {
    LogLineCoalescer c = new LogLineCoalescer(2);
    LongStream.rangeClosed(1, 5).forEach(i -> c.add(line(i)));
    c.drain();
    c.add(line(6));
    JsonObject event = c.drain().orElseThrow();
    assertThat(ids(event)).containsExactly(6L);
    assertThat(event.getLong("dropped")).isZero();
    assertThat(c.drain()).isEmpty();
  }

  @Test
  @DisplayName("a bound below one line is refused")
  void aBoundBelowOneIsRefused() {
    assertThatThrownBy(() -> new LogLineCoalescer(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
