package io.pioreactor.worker.activities;

import io.pioreactor.protocol.Jobs;
import io.pioreactor.worker.hardware.HatSettings;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Drives the stirring fan's PWM pin. {@code target_rpm} goes through the configured calibration to a duty
 * cycle; {@code duty_cycle} may also be set directly. Both are retained and settable.
 */
final class Stirring extends Activity {
  static final double MAX_RPM = 5000;
  private final int pin;
  private double targetRpm;
  private double dutyCycle;

  Stirring(ActivityContext ctx, String experiment, JsonObject options) {
    super(ctx, Jobs.STIRRING, experiment);
    Options o = new Options(Jobs.STIRRING, options, Set.of("target_rpm", "duty_cycle"));
    this.pin = ctx.hat().settings().pwmPins().get(HatSettings.STIRRING);
    this.targetRpm = o.number("target_rpm", 500, 0, MAX_RPM);
    this.dutyCycle = o.has("duty_cycle") ? o.number("duty_cycle", 0, 0, 100) : ctx.hat().settings().dutyForRpm(targetRpm);
    declareSetting("target_rpm", targetRpm, true);
    declareSetting("duty_cycle", dutyCycle, true);
  }

  @Override
  protected Future<Void> run() {
    return ctx.hat().dutyCycle(pin, dutyCycle);
  }

  @Override
  protected Future<Void> makeSafe() {
    return ctx.hat().dutyCycle(pin, 0);
  }

  @Override
  protected Future<Void> applySetting(String setting, String payload) {
    if (setting.equals("target_rpm")) {
      double rpm = Options.parse(name(), setting, payload, 0, MAX_RPM);
      targetRpm = rpm;
      dutyCycle = ctx.hat().settings().dutyForRpm(rpm);
    } else {
      dutyCycle = Options.parse(name(), setting, payload, 0, 100);
    }
    Future<Void> applied = isReady() ? ctx.hat().dutyCycle(pin, dutyCycle) : Future.succeededFuture();
    return applied.compose(v -> publishSetting("target_rpm", targetRpm)).compose(v -> publishSetting("duty_cycle", dutyCycle));
  }
}
