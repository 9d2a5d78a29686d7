package io.pioreactor.worker.button;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import com.pi4j.io.gpio.digital.PullResistance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;

/**
 * The HAT's push button, as upstream's monitor has it: pressed is high (pull-down, 200 ms debounce); while it is
 * held the LED is on and {@code monitor/button_down} reads {@code True}, {@code False} again on release (retained,
 * upstream's boolean spelling). The LED is left alone while identify is blinking it.
 */
public final class HatButton implements AutoCloseable {
  /** Upstream's pins: BCM 24 on HAT 1.0, BCM 4 from HAT 1.1 on. */
  public static final int PIN_HAT_1_0 = 24;
  public static final int PIN_LATER = 4;

  private final Vertx vertx;
  private final DigitalInput input;
  private final DigitalOutput led;
  private final BooleanSupplier ledBusy;
  private final BiFunction<String, Boolean, Future<?>> publish;
  private final DigitalStateChangeListener listener;
  private boolean down;

  /**
   * {@code publish} gets "button_down" and the new value and sends it retained under the unit's monitor topics;
   * {@code ledBusy} is true while identify is using the LED.
   */
  public HatButton(Vertx vertx, Context pi4j, int pin, DigitalOutput led, BooleanSupplier ledBusy,
                   BiFunction<String, Boolean, Future<?>> publish) {
    this.vertx = vertx;
    this.led = led;
    this.ledBusy = ledBusy;
    this.publish = publish;
    this.input = pi4j.create(DigitalInput.newConfigBuilder(pi4j).id("hat-button").name("HAT button").address(pin)
        .pull(PullResistance.PULL_DOWN).debounce(200_000L));
    // pi4j calls back on its own thread: hop onto the verticle's event loop before touching state.
    io.vertx.core.Context here = vertx.getOrCreateContext();
    this.listener = event -> here.runOnContext(v -> changed(event.state() == DigitalState.HIGH));
    input.addListener(listener);
  }

  /** BCM pin for the HAT version in {@code /proc/device-tree/hat/product_ver} ("0x0010" is 1.0), as upstream reads it. */
  public static int pinFor(String productVersion) {
    String v = productVersion == null ? "" : productVersion.replace("\u0000", "").trim();
    return v.length() >= 2 && v.endsWith("10") ? PIN_HAT_1_0 : PIN_LATER;
  }

  /** Publishes the current state: on every (re)connect, so the retained value is never stale. */
  public Future<?> announce() {
    return publish.apply("button_down", down);
  }

  public boolean isDown() {
    return down;
  }

  private void changed(boolean pressed) {
    if (pressed == down) {
      return;
    }
    down = pressed;
    if (!ledBusy.getAsBoolean()) {
      if (pressed) {
        led.high();
      } else {
        led.low();
      }
    }
    publish.apply("button_down", pressed);
  }

  @Override
  public void close() {
    input.removeListener(listener);
  }
}
