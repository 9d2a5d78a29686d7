package io.pioreactor.worker.hardware;

import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;
import com.pi4j.io.pwm.Pwm;
import com.pi4j.io.pwm.PwmType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The HAT's outputs and inputs that jobs drive: PWM pins (stirring, pumps), the LED driver's four channels,
 * the ADC, the thermometer and the stirring fan's hall-effect sensor. Every pi4j call runs off the event loop, in
 * order. Each PWM change is reported to a listener with what the pins actually are now (read back from pi4j), so the
 * unit can publish it. The LED levels last written are kept, so a job can tell which channels a write changed; the
 * HAT is taken to start with its LEDs off (the driver's power-on state; every job turns its LEDs off on its way out).
 */
public final class Hat {
  private final Vertx vertx;
  private final Context gpio;
  private final HatSettings settings;
  private final Map<Integer, Pwm> pwms = new TreeMap<>();
  private I2C ledDriver;
  private I2C adc;
  private I2C thermometer;
  private HallSensor hallSensor;
  private final double[] ledLevels = new double[4];
  private Consumer<Map<String, Double>> pwmListener = m -> {};

  /** What stands behind pi4j's mock platform (ignored on real hardware). */
  private final MockBench bench;

  public Hat(Vertx vertx, Context gpio, HatSettings settings) {
    this(vertx, gpio, settings, MockBench.healthy());
  }

  public Hat(Vertx vertx, Context gpio, HatSettings settings, MockBench bench) {
    this.vertx = vertx;
    this.gpio = gpio;
    this.settings = settings;
    this.bench = bench;
  }

  public HatSettings settings() {
    return settings;
  }

  /**
   * Whether a HAT is there: on the mock platform the simulated one is; on a Pi, the HAT's EEPROM has put its entry in
   * the device tree ({@code /proc/device-tree/hat}, as upstream checks). Blocking: call off the event loop.
   */
  public boolean detected() {
    return settings.mock() || java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/device-tree/hat"));
  }

  public void onPwmChange(Consumer<Map<String, Double>> listener) {
    this.pwmListener = listener;
  }

  /** Sets a PWM pin's duty cycle in percent (0 turns it off). */
  public Future<Void> dutyCycle(int pin, double percent) {
    if (percent < 0 || percent > 100) {
      return Future.failedFuture(new IllegalArgumentException("duty cycle must be 0-100, got " + percent));
    }
    return vertx.<Map<String, Double>>executeBlocking(() -> {
      synchronized (this) {
        Pwm p = pwm(pin);
        if (percent == 0) {
          p.off();
        } else {
          p.on(percent, settings.pwmFrequencyHz());
        }
        return dutyCyclesNow();
      }
    }).map(now -> {
      pwmListener.accept(now);
      return null;
    });
  }

  /** What every PWM pin used so far is driving now, by BCM pin, in percent. */
  public synchronized Map<String, Double> dutyCycles() {
    return dutyCyclesNow();
  }

  private Map<String, Double> dutyCyclesNow() {
    Map<String, Double> out = new TreeMap<>();
    pwms.forEach((pin, p) -> out.put(String.valueOf(pin), p.isOn() ? round(p.getDutyCycle()) : 0.0));
    return out;
  }

  /**
   * The LED driver's channel A-D intensity, 0-100 %, written as one byte (0-255) per channel register. Completes with
   * whether the channel's level changed (from the one last written here).
   */
  public Future<Boolean> ledIntensity(char channel, double percent) {
    if (channel < 'A' || channel > 'D') {
      return Future.failedFuture(new IllegalArgumentException("LED channels are A-D, not " + channel));
    }
    if (!(percent >= 0 && percent <= 100)) {
      return Future.failedFuture(new IllegalArgumentException("LED intensity must be 0-100, got " + percent));
    }
    int register = channel - 'A';
    byte level = (byte) Math.round(percent * 255 / 100);
    return vertx.executeBlocking(() -> {
      synchronized (this) {
        if (ledDriver == null) {
          ledDriver = gpio.create(I2C.newConfigBuilder(gpio).id("led-driver").bus(settings.i2cBus()).device(settings.ledDriverAddress()).build());
        }
        ledDriver.writeRegister(register, level);
        boolean changed = ledLevels[register] != percent;
        ledLevels[register] = percent;
        return changed;
      }
    });
  }

  /**
   * The stirring fan's speed in rpm, from the hall-effect sensor's edges over {@code seconds} (see {@link HallSensor});
   * the input is claimed on first use. Real hardware only: pi4j's mock input has no fan behind it.
   */
  public Future<Double> measureRpm(double seconds) {
    AutoCloseable[] fan = {null};
    return vertx.<HallSensor>executeBlocking(() -> {
      synchronized (this) {
        if (hallSensor == null) {
          hallSensor = new HallSensor(gpio, settings.hallSensorPin());
        }
        hallSensor.start();
        if (settings.mock()) {
          // The mock fan turns at what the stirring pin drives now, through the calibration.
          int pin = settings.pwmPins().get(HatSettings.STIRRING);
          fan[0] = bench.spin(hallSensor.input(), () -> settings.rpmForDuty(dutyCycleOf(pin)));
        }
        return hallSensor;
      }
    }).compose(sensor -> {
      io.vertx.core.Promise<Double> done = io.vertx.core.Promise.promise();
      vertx.setTimer(Math.max(1, Math.round(seconds * 1000)), t -> {
        double rpm = sensor.stop();
        if (fan[0] != null) {
          try {
            fan[0].close();
          } catch (Exception ignored) {
            // a thread told to stop: nothing to release
          }
        }
        done.complete(rpm);
      });
      return done.future();
    });
  }

  /** What a PWM pin drives now, as pi4j reads it back (0 for a pin never used). */
  private synchronized double dutyCycleOf(int pin) {
    Pwm p = pwms.get(pin);
    return p == null || !p.isOn() ? 0 : p.getDutyCycle();
  }

  /**
   * Whether the HAT answers: its ADC's conversion register read over I²C. Fails with what did not answer. On the mock
   * platform the ADC answers unless the HAT is configured broken ({@link MockBench}).
   */
  public Future<Void> probeHat() {
    return vertx.executeBlocking(() -> {
      synchronized (this) {
        I2C dev = adc();
        if (settings.mock() && !bench.isBroken("hat")) {
          dev.writeRegister(0, new byte[] {0, 0}, 0, 2);
        }
        byte[] b = new byte[2];
        if (dev.readRegister(0, b, 0, 2) != 2) {
          throw new IllegalStateException("the HAT's ADC does not answer on I²C bus " + settings.i2cBus() + " at 0x"
              + Integer.toHexString(settings.adcAddress()));
        }
        return null;
      }
    });
  }

  /** A photodiode's reading in volts (the ADC's 16 bits over 3.3 V); on the mock platform, what the LEDs shine on it. */
  public Future<Double> photodiodeVolts(int channel) {
    return readAdc(channel, settings.mock() ? () -> (int) Math.round(bench.photodiodeVolts(channel, ledLevels) / 3.3 * 65535) : null)
        .map(raw -> raw / 65535.0 * 3.3);
  }

  /** The thermometer's reading, to see that it answers; on the mock platform it reads the room unless broken. */
  public Future<Double> probeThermometer() {
    return readTemperature(settings.mock() && !bench.isBroken("thermometer") ? () -> MockBench.AMBIENT_CELSIUS : null);
  }

  /** A raw 16-bit ADC reading of one channel; fails when the ADC has nothing to give. */
  public Future<Integer> readAdc(int channel, java.util.function.IntSupplier mockSignal) {
    return vertx.executeBlocking(() -> {
      synchronized (this) {
        I2C adc = adc();
        if (mockSignal != null) {
          // pi4j's mock I2C returns only what was written to it: the mock platform gets a simulated culture.
          int v = mockSignal.getAsInt();
          adc.writeRegister(channel, new byte[] {(byte) (v >> 8), (byte) v}, 0, 2);
        }
        byte[] b = new byte[2];
        if (adc.readRegister(channel, b, 0, 2) != 2) {
          throw new IllegalStateException("the ADC returned no data on channel " + channel);
        }
        return ((b[0] & 0xff) << 8) | (b[1] & 0xff);
      }
    });
  }

  /**
   * The heating plate's temperature in °C from the thermometer (a 12-bit reading, 1/16 °C per step, as the HAT's
   * TMP1075). On the mock platform it is fed by {@code mockSignal}.
   */
  public Future<Double> readTemperature(java.util.function.DoubleSupplier mockSignal) {
    return vertx.executeBlocking(() -> {
      synchronized (this) {
        if (thermometer == null) {
          thermometer = gpio.create(I2C.newConfigBuilder(gpio).id("thermometer").bus(settings.i2cBus())
              .device(settings.thermometerAddress()).build());
        }
        if (mockSignal != null) {
          int raw = (int) Math.round(mockSignal.getAsDouble() * 16) << 4;
          thermometer.writeRegister(0, new byte[] {(byte) (raw >> 8), (byte) raw}, 0, 2);
        }
        byte[] b = new byte[2];
        if (thermometer.readRegister(0, b, 0, 2) != 2) {
          throw new IllegalStateException("the thermometer returned no data");
        }
        return (((short) (((b[0] & 0xff) << 8) | (b[1] & 0xff))) >> 4) / 16.0;
      }
    });
  }

  private I2C adc() {
    if (adc == null) {
      adc = gpio.create(I2C.newConfigBuilder(gpio).id("adc").bus(settings.i2cBus()).device(settings.adcAddress()).build());
    }
    return adc;
  }

  private Pwm pwm(int pin) {
    return pwms.computeIfAbsent(pin, p -> gpio.create(Pwm.newConfigBuilder(gpio).id("pwm-" + p).name("PWM BCM " + p)
        .address(p).pwmType(PwmType.SOFTWARE).frequency(settings.pwmFrequencyHz()).initial(0).shutdown(0).build()));
  }

  /** Every PWM off: the last thing before the daemon exits. */
  public Future<Void> allOff() {
    return vertx.executeBlocking(() -> {
      synchronized (this) {
        for (Pwm p : pwms.values()) {
          p.off();
        }
        return dutyCyclesNow();
      }
    }).map(now -> {
      pwmListener.accept(now);
      return null;
    });
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
