package io.pioreactor.worker.hardware;

import com.pi4j.io.pwm.Pwm;
import com.pi4j.io.pwm.PwmConfig;
import com.pi4j.io.pwm.PwmProvider;
import com.pi4j.plugin.mock.provider.pwm.MockPwm;
import com.pi4j.plugin.mock.provider.pwm.MockPwmProviderImpl;
import java.util.Set;

/**
 * pi4j's mock PWM provider, but the pins of outputs configured broken ({@link MockBench}) never turn on: pi4j reads
 * them back as off, as it would a pin whose driver is dead.
 */
final class StuckPwmProvider extends MockPwmProviderImpl {
  private final Set<Integer> stuck;

  StuckPwmProvider(Set<Integer> stuck) {
    this.stuck = Set.copyOf(stuck);
  }

  @Override
  public Pwm create(PwmConfig config) {
    if (!stuck.contains(config.address())) {
      return super.create(config);
    }
    Pwm pwm = new Stuck(this, config);
    context.registry().add(pwm);
    return pwm;
  }

  private static final class Stuck extends MockPwm {
    Stuck(PwmProvider provider, PwmConfig config) {
      super(provider, config);
    }

    @Override
    public Pwm on() {
      onState = false;
      return this;
    }
  }
}
