package io.pioreactor.leader.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TokenBucketsTest {
  private long now;

  @Test
  @DisplayName("a key gets its burst at once, then its rate; other keys are not affected")
  void burstThenRate() {
    TokenBuckets b = new TokenBuckets(10, 3, 100, () -> now);
    assertThat(b.tryTake("w1")).isTrue();
    assertThat(b.tryTake("w1")).isTrue();
    assertThat(b.tryTake("w1")).isTrue();
    assertThat(b.tryTake("w1")).as("burst used up").isFalse();
    assertThat(b.tryTake("w2")).as("another key").isTrue();
    assertThat(b.secondsUntilNext("w1")).isGreaterThan(0).isLessThanOrEqualTo(0.1);
    now += 100_000_000L; // 0.1 s at 10/s: one token
    assertThat(b.tryTake("w1")).isTrue();
    assertThat(b.tryTake("w1")).isFalse();
    now += 10_000_000_000L; // long idle: back to the burst, not more
    for (int i = 0; i < 3; i++) {
      assertThat(b.tryTake("w1")).isTrue();
    }
    assertThat(b.tryTake("w1")).isFalse();
  }

  @Test
  @DisplayName("the map of keys is bounded: the least recently used is forgotten")
  void boundedKeys() {
    TokenBuckets b = new TokenBuckets(1, 1, 10, () -> now);
    for (int i = 0; i < 1_000; i++) {
      b.tryTake("k" + i);
    }
    assertThat(b.size()).isEqualTo(10);
  }
}
