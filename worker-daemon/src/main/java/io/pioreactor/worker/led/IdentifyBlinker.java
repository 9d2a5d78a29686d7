package io.pioreactor.worker.led;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;

/**
 * Identify: flashes the HAT LED with upstream's pattern, 4 × (on 140 ms, off 140 ms, on 140 ms,
 * off 450 ms). Steps are timers, so the event loop never waits; a request while blinking is ignored.
 */
public final class IdentifyBlinker {
  /** Durations of the pattern's steps, alternating on/off, starting with on. */
  static final long[] PATTERN_MS = {140, 140, 140, 450};
  static final int REPEATS = 4;

  private final Vertx vertx;
  private final DigitalOutput led;
  private boolean busy;
  private Instant lastStart;

  public IdentifyBlinker(Vertx vertx, Context pi4j, int pin) {
    this.vertx = vertx;
    this.led = pi4j.create(DigitalOutput.newConfigBuilder(pi4j).id("hat-led").name("HAT LED").address(pin)
        .initial(DigitalState.LOW).shutdown(DigitalState.LOW));
  }

  /** Starts the pattern; false when one is already running (the request is ignored, like upstream). */
  public boolean blink() {
    if (busy) {
      return false;
    }
    busy = true;
    step(0).onComplete(ar -> {
      led.low();
      busy = false;
    });
    return true;
  }

  /**
   * When the running (or last) pattern's first edge happened: read just after the LED went high, so the
   * identify log line can carry it and the bench can time REST call → LED from outside the process.
   */
  public Instant lastStart() {
    return lastStart;
  }

  public boolean isBusy() {
    return busy;
  }

  public DigitalOutput output() {
    return led;
  }

  private Future<Void> step(int i) {
    if (i == REPEATS * PATTERN_MS.length) {
      return Future.succeededFuture();
    }
    if (i % 2 == 0) {
      led.high();
      if (i == 0) {
        lastStart = Instant.now();
      }
    } else {
      led.low();
    }
    return vertx.timer(PATTERN_MS[i % PATTERN_MS.length]).compose(v -> step(i + 1));
  }

  public void off() {
    led.low();
  }
}
