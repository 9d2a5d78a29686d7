package io.pioreactor.worker.activities;

import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Readings;
import io.pioreactor.worker.hardware.HatSettings;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Set;

/**
 * Holds the vial at {@code target_temperature} with the heating plate (PWM BCM 18): every {@code interval} seconds
 * it reads the thermometer and sets the heater's duty in proportion to the gap, capped, and off above
 * {@link #MAX_C} whatever the target. Publishes {@code temperature} like upstream. On the mock platform the
 * thermometer follows a simple thermal model of the plate.
 */
final class TemperatureAutomation extends Activity {
  static final double MAX_C = 50;
  private static final double GAIN = 10; // % duty per °C below target
  private static final double MAX_DUTY = 60;
  private final int pin;
  private double target;
  private final double intervalSeconds;
  private long timer = -1;
  private double duty;
  private double simulated = 22;

  TemperatureAutomation(ActivityContext ctx, String experiment, JsonObject options) {
    super(ctx, Jobs.TEMPERATURE_AUTOMATION, experiment);
    Options o = new Options(name(), options, Set.of("target_temperature", "interval", Jobs.AUTOMATION_NAME));
    o.onlyAutomation(Jobs.THERMOSTAT);
    declareSetting(Jobs.AUTOMATION_NAME, Jobs.THERMOSTAT, false);
    this.pin = ctx.hat().settings().pwmPins().get(HatSettings.HEATER);
    this.target = o.number("target_temperature", 30, 20, MAX_C);
    this.intervalSeconds = o.number("interval", 5, 0.2, 600);
    declareSetting("target_temperature", target, true);
    declareSetting(Readings.TEMPERATURE, null, false); // no value until the first reading
  }

  @Override
  protected Future<Void> run() {
    schedule();
    return Future.succeededFuture();
  }

  private void schedule() {
    timer = ctx.vertx().setTimer(Math.round(intervalSeconds * 1000), t -> {
      timer = -1;
      if (!isReady()) {
        return;
      }
      ctx.hat().readTemperature(ctx.hat().settings().mock() ? this::simulate : null)
          .compose(c -> {
            duty = c >= MAX_C ? 0 : Math.max(0, Math.min(MAX_DUTY, GAIN * (target - c)));
            return ctx.hat().dutyCycle(pin, isReady() ? Math.round(duty * 10) / 10.0 : 0)
                .compose(v -> publishSetting(Readings.TEMPERATURE, new JsonObject().put(Readings.TEMPERATURE, c).put("timestamp", Instant.now().toString())));
          })
          .onFailure(err -> ctx.log().job(experiment(), name(), "warning", name() + ": " + err.getMessage() + "; heater off"))
          .recover(err -> ctx.hat().dutyCycle(pin, 0))
          .onComplete(ar -> {
            if (isReady() && timer < 0) {
              schedule();
            }
          });
    });
  }

  /** The plate warms with the heater's duty and loses heat to a 22 °C room. */
  private double simulate() {
    simulated += (22 - simulated) * 0.05 + duty * 0.03;
    return simulated;
  }

  @Override
  protected Future<Void> makeSafe() {
    if (timer >= 0) {
      ctx.vertx().cancelTimer(timer);
      timer = -1;
    }
    duty = 0;
    return ctx.hat().dutyCycle(pin, 0);
  }

  @Override
  protected Future<Void> applySetting(String setting, String payload) {
    target = Options.parse(name(), setting, payload, 20, MAX_C);
    return publishSetting("target_temperature", target);
  }
}
