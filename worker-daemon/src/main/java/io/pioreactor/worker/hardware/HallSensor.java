package io.pioreactor.worker.hardware;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import com.pi4j.io.gpio.digital.PullResistance;

/**
 * The stirring fan's hall-effect sensor, read as upstream's {@code RpmFromFrequency} reads it: a digital input with
 * its pull-up, one falling edge per turn of the fan. Over a window, the speed is the number of intervals between
 * edges over the time they took, in turns a minute ({@code round(intervals × 60 / seconds, 1)}); no two edges, 0.
 * pi4j calls back on its own thread and each edge is timed there, as upstream times it in its callback; the
 * debounce (1 ms) leaves room for 5000 rpm (12 ms a turn).
 */
final class HallSensor implements AutoCloseable {
  static final long DEBOUNCE_MICROS = 1_000;
  private final DigitalInput input;
  private final DigitalStateChangeListener listener;
  private boolean collecting;
  private long first = -1;
  private long last;
  private int intervals;

  HallSensor(Context pi4j, int pin) {
    this.input = pi4j.create(DigitalInput.newConfigBuilder(pi4j).id("hall-sensor").name("stirring hall sensor")
        .address(pin).pull(PullResistance.PULL_UP).debounce(DEBOUNCE_MICROS));
    this.listener = event -> {
      if (event.state() == DigitalState.LOW) {
        edge(System.nanoTime());
      }
    };
    input.addListener(listener);
  }

  /** Starts a window: edges from now on are counted. */
  synchronized void start() {
    collecting = true;
    first = -1;
    intervals = 0;
  }

  private synchronized void edge(long nanos) {
    if (!collecting) {
      return;
    }
    if (first < 0) {
      first = nanos;
    } else {
      intervals++;
    }
    last = nanos;
  }

  /** Ends the window: the speed over it, in rpm. */
  synchronized double stop() {
    collecting = false;
    if (intervals == 0 || last <= first) {
      return 0;
    }
    return Math.round(intervals * 60e9 / (last - first) * 10) / 10.0;
  }

  DigitalInput input() {
    return input;
  }

  @Override
  public void close() {
    input.removeListener(listener);
  }
}
