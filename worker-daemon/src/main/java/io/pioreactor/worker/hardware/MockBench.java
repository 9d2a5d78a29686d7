package io.pioreactor.worker.hardware;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import java.util.function.DoubleSupplier;

/**
 * The physical world behind pi4j's mock platform, so that what the self test measures has a cause: light from the LED
 * driver's channels reaching the photodiodes (a fixed gain per pair, the IR LED on A reaching both), the fan turning at
 * the speed its PWM pin's duty cycle gives through the calibration (a falling edge per turn on the hall sensor's mock
 * input, made by a thread while a measurement listens), the HAT's ADC and the thermometer answering on I²C.
 *
 * <p>Parts named broken (the worker config's {@code mock.broken}, for tests only) act as that hardware would when broken:
 * a photodiode sees no light, an LED gives none, the fan does not turn, a PWM output does not take its duty cycle, the
 * HAT or the thermometer does not answer, or light leaks in with the LEDs off.
 */
public final class MockBench {
  public static final List<String> PARTS = List.of("hat", "pd1", "pd2", "led_a", "led_b", "led_c", "led_d", "stirring",
      "thermometer", "ambient_light", "pwm_" + HatSettings.STIRRING, "pwm_" + HatSettings.MEDIA, "pwm_" + HatSettings.ALT_MEDIA,
      "pwm_" + HatSettings.WASTE, "pwm_" + HatSettings.HEATER);
  /** Volts at photodiode 1 and 2 with each LED channel (A-D) at 100 %. */
  private static final double[][] GAIN = {{0.90, 0.40}, {0.30, 0.10}, {0.25, 0.08}, {0.12, 0.20}};
  private static final double DARK_VOLTS = 0.004;
  private static final double NOISE_VOLTS = 0.0008;
  private static final double LEAK_VOLTS = 0.45;
  public static final double AMBIENT_CELSIUS = 22.5;

  private final Set<String> broken;
  private final Random noise = new Random();

  public MockBench(Collection<String> broken) {
    Set<String> unknown = new TreeSet<>(broken);
    unknown.removeAll(PARTS);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("mock.broken: unknown part" + (unknown.size() > 1 ? "s " : " ") + unknown
          + " (parts: " + String.join(", ", PARTS) + ")");
    }
    this.broken = Set.copyOf(broken);
  }

  public static MockBench healthy() {
    return new MockBench(Set.of());
  }

  public boolean isBroken(String part) {
    return broken.contains(part);
  }

  public Set<String> broken() {
    return broken;
  }

  /** The BCM pins of the PWM outputs configured broken. */
  public Set<Integer> stuckPwmPins(java.util.Map<String, Integer> pwmPins) {
    Set<Integer> out = new TreeSet<>();
    pwmPins.forEach((output, pin) -> {
      if (isBroken("pwm_" + output)) {
        out.add(pin);
      }
    });
    return out;
  }

  /** Volts at photodiode {@code pd} (1 or 2) with the LED channels A-D at {@code ledPercent}. */
  public synchronized double photodiodeVolts(int pd, double[] ledPercent) {
    double v = DARK_VOLTS + NOISE_VOLTS * noise.nextGaussian();
    if (!isBroken("pd" + pd)) {
      if (isBroken("ambient_light")) {
        v += LEAK_VOLTS;
      }
      for (int led = 0; led < 4; led++) {
        if (!isBroken("led_" + (char) ('a' + led))) {
          v += GAIN[led][pd - 1] * ledPercent[led] / 100.0;
        }
      }
    }
    return Math.max(0, Math.min(3.3, v));
  }

  /**
   * Turns the fan while the returned handle is open: one falling edge per turn on the hall sensor's mock input, at
   * {@code rpm} (read again every turn, so it follows the PWM), none while it says 0 or the fan is broken.
   */
  AutoCloseable spin(DigitalInput input, DoubleSupplier rpm) {
    if (!(input instanceof MockDigitalInput mock)) {
      return () -> {};
    }
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    Thread fan = new Thread(() -> {
      while (!stop.get()) {
        double now = isBroken("stirring") ? 0 : rpm.getAsDouble();
        if (!(now > 0)) {
          LockSupport.parkNanos(10_000_000);
          continue;
        }
        long half = (long) (30e9 / now);
        LockSupport.parkNanos(half);
        mock.mockState(DigitalState.LOW);
        LockSupport.parkNanos(half);
        mock.mockState(DigitalState.HIGH);
      }
    }, "mock-fan");
    fan.setDaemon(true);
    fan.start();
    return () -> {
      stop.set(true);
      LockSupport.unpark(fan);
    };
  }
}
