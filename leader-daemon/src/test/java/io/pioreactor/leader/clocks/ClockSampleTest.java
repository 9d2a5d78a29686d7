package io.pioreactor.leader.clocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pioreactor.protocol.ClockExchange;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** NTP's arithmetic on the four timestamps, the reply checks, and the filter that keeps the least-delayed sample. */
class ClockSampleTest {
  private static final double T = 1_800_000_000_000.0; // 2027, in epoch ms

  private static JsonObject answer(double t2, double t3) {
    return new JsonObject().put(ClockExchange.T2, t2).put(ClockExchange.T3, t3);
  }

  @Test
  @DisplayName("a unit 30 s ahead with 10 ms each way and 1 ms of its own: offset +30 s, round trip 20 ms")
  void offsetAndRoundTrip() {
    // leader sends at T; arrives 10 ms later by the leader's clock = T + 10 + 30000 by the unit's; unit answers 1 ms later
    var s = new ClockSample(T, T + 30_010, T + 30_011, T + 21);
    assertThat(s.offsetMs()).isCloseTo(30_000, within(1e-6));
    assertThat(s.roundTripMs()).isCloseTo(20, within(1e-6));
  }

  @Test
  @DisplayName("an asymmetric path shows as half its difference in the offset, and in full in the round trip")
  void asymmetry() {
    // 2 ms out, 18 ms back, clocks equal: NTP cannot tell, the error is (2 - 18) / 2 = -8 ms, bounded by half the round trip
    var s = new ClockSample(T, T + 2, T + 3, T + 21);
    assertThat(s.offsetMs()).isCloseTo(-8, within(1e-6));
    assertThat(s.roundTripMs()).isCloseTo(20, within(1e-6));
    assertThat(Math.abs(s.offsetMs())).isLessThanOrEqualTo(s.roundTripMs() / 2);
  }

  @Test
  @DisplayName("a unit behind the leader has a negative offset")
  void behind() {
    var s = new ClockSample(T, T - 5_000 + 1, T - 5_000 + 1.5, T + 2);
    assertThat(s.offsetMs()).isCloseTo(-5_000, within(0.5));
  }

  @Test
  @DisplayName("the filter keeps the sample with the smallest round trip")
  void filterKeepsLeastDelayed() {
    var slow = new ClockSample(T, T + 50, T + 51, T + 100);
    var fast = new ClockSample(T + 200, T + 202, T + 203, T + 205);
    var middling = new ClockSample(T + 300, T + 310, T + 311, T + 321);
    assertThat(ClockSample.best(List.of(slow, fast, middling))).contains(fast);
    assertThat(ClockSample.best(List.of())).isEmpty();
  }

  @Test
  @DisplayName("an honest answer becomes a sample")
  void honestAnswer() {
    var s = ClockSample.of(T, answer(T + 30_005, T + 30_006), T + 11, 2_000);
    assertThat(s.sample()).isPresent();
    assertThat(s.sample().get().offsetMs()).isCloseTo(30_000, within(1e-6));
  }

  @Test
  @DisplayName("an answer without numbers, with a huge number, or with t3 before t2 is no sample")
  void badAnswers() {
    assertThat(ClockSample.of(T, new JsonObject(), T + 1, 2_000).sample()).isEmpty();
    assertThat(ClockSample.of(T, answer(T, T).put(ClockExchange.T3, "soon"), T + 1, 2_000).sample()).isEmpty();
    assertThat(ClockSample.of(T, answer(1e300, 1e300), T + 1, 2_000).problem()).contains("between 1970 and 2100");
    assertThat(ClockSample.of(T, answer(Double.NaN, T), T + 1, 2_000).sample()).isEmpty();
    assertThat(ClockSample.of(T, answer(T + 5, T + 4), T + 10, 2_000).problem()).contains("before its t2");
    assertThat(ClockSample.of(T, answer(T + 5, T + 5 + 1_500), T + 2_000, 5_000).problem()).contains("after it");
  }

  @Test
  @DisplayName("a round trip longer than the wait, or below zero, is no sample")
  void impossibleRoundTrips() {
    assertThat(ClockSample.of(T, answer(T + 1, T + 2), T + 2_500, 2_000).problem()).contains("round trip");
    // the unit claims it took 500 ms to answer, but the whole exchange took 10 ms by the leader's clock
    assertThat(ClockSample.of(T, answer(T + 1, T + 501), T + 10, 2_000).problem()).contains("round trip");
  }

  @Test
  @DisplayName("offsets read as people read them")
  void text() {
    assertThat(ClockOffsets.seconds(30_012)).isEqualTo("+30.0 s");
    assertThat(ClockOffsets.seconds(2.4)).isEqualTo("+0.002 s");
    assertThat(ClockOffsets.seconds(-1_250)).isEqualTo("-1.250 s");
  }
}
