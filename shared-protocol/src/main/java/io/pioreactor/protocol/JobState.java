package io.pioreactor.protocol;

import java.util.Arrays;
import java.util.Optional;

/** Upstream's job lifecycle states, as published on {@code $state}. */
public enum JobState {
  INIT, READY, SLEEPING, DISCONNECTED, LOST;

  public String wire() {
    return name().toLowerCase();
  }

  public static Optional<JobState> parse(String s) {
    return Arrays.stream(values()).filter(v -> v.wire().equals(s)).findFirst();
  }
}
