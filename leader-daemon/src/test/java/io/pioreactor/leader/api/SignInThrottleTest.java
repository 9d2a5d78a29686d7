package io.pioreactor.leader.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SignInThrottleTest {
  private long nowMs = 1_000_000;

  @Test
  @DisplayName("five wrong sign-ins are free; then each waits twice as long as the last, up to a minute; a right one clears it")
  void backsOff() {
    SignInThrottle t = new SignInThrottle(() -> nowMs);
    for (int i = 0; i < SignInThrottle.FREE_FAILURES - 1; i++) {
      t.failed("10.0.0.9");
      assertThat(t.waitSeconds("10.0.0.9")).isZero();
    }
    t.failed("10.0.0.9");
    assertThat(t.waitSeconds("10.0.0.9")).isEqualTo(1);
    assertThat(t.waitSeconds("10.0.0.8")).as("another client").isZero();
    t.failed("10.0.0.9");
    assertThat(t.waitSeconds("10.0.0.9")).isEqualTo(2);
    for (int i = 0; i < 20; i++) {
      t.failed("10.0.0.9");
    }
    assertThat(t.waitSeconds("10.0.0.9")).isEqualTo(SignInThrottle.MAX_WAIT_S);
    nowMs += SignInThrottle.MAX_WAIT_S * 1000;
    assertThat(t.waitSeconds("10.0.0.9")).isZero();
    t.succeeded("10.0.0.9");
    t.failed("10.0.0.9");
    assertThat(t.waitSeconds("10.0.0.9")).as("counting starts again").isZero();
  }
}
