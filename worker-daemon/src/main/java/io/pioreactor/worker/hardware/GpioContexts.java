package io.pioreactor.worker.hardware;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;
import com.pi4j.plugin.mock.provider.pwm.MockPwmProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A pi4j context: real GPIO on a Pi, pi4j's mock platform elsewhere and in tests. */
public final class GpioContexts {
  private static final Logger LOG = LoggerFactory.getLogger(GpioContexts.class);

  private GpioContexts() {}

  public static Context create(String platform) {
    return create(platform, java.util.Set.of());
  }

  /** {@code stuckPwmPins}: on the mock platform, PWM pins that never turn on ({@link MockBench}, tests only). */
  public static Context create(String platform, java.util.Set<Integer> stuckPwmPins) {
    if (isReal(platform)) {
      LOG.info("GPIO: real hardware (gpiod)");
      return Pi4J.newAutoContext();
    }
    LOG.info("GPIO: pi4j mock platform (no GPIO chip here, or hardware.platform = mock)");
    return mock(stuckPwmPins);
  }

  public static boolean isReal(String platform) {
    return "gpiod".equals(platform) || ("auto".equals(platform) && Files.exists(Path.of("/dev/gpiochip0")));
  }

  public static Context mock() {
    return mock(java.util.Set.of());
  }

  public static Context mock(java.util.Set<Integer> stuckPwmPins) {
    return Pi4J.newContextBuilder().add(new MockPlatform())
        .add(MockDigitalOutputProvider.newInstance(), com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider.newInstance(),
            stuckPwmPins.isEmpty() ? MockPwmProvider.newInstance() : new StuckPwmProvider(stuckPwmPins), MockI2CProvider.newInstance())
        .build();
  }
}
