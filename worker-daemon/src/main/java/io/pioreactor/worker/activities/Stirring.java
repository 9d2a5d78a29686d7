package io.pioreactor.worker.activities;

import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.MeasuredRpm;
import io.pioreactor.protocol.Topics;
import io.pioreactor.worker.hardware.HatSettings;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Random;
import java.util.Set;

/**
 * Drives the stirring fan's PWM pin. {@code target_rpm} goes through the configured calibration to a duty
 * cycle; {@code duty_cycle} may also be set directly. Both are retained and settable.
 *
 * <p>While ready it also publishes what the fan does, as upstream's {@code measured_rpm} setting (retained, not
 * settable): {@code {"measured_rpm": <rpm>, "timestamp": "<ISO>"}} ({@link MeasuredRpm}), first 6 s after it starts or
 * resumes (sooner when the cadence is shorter), then every {@code [stirring.config] duration_between_updates_seconds} of the cluster configuration (else {@code hardware.stirring_update_seconds}; upstream's
 * {@code duration_between_updates_seconds}, 23 s). On a pause it publishes 0 once, as upstream, and nothing while
 * sleeping; on stop the setting is cleared like every other. Where the speed comes from:
 * <ul>
 *   <li>on the mock platform, from the duty cycle read back through the calibration (so it follows {@code target_rpm}),
 *       with about 1 % noise, and 0 with the fan off;</li>
 *   <li>on real hardware, from the hall-effect sensor on {@code hardware.hall_sensor_pin} (BCM 21, as upstream's HAT):
 *       its falling edges counted through pi4j over a window of 10 turns at the target speed (1-5 s), as upstream's
 *       {@code RpmFromFrequency}. If the input cannot be read, the job says so once in its log and publishes nothing.</li>
 * </ul>
 * Unlike upstream, the reading does not feed back into the duty cycle (no PID loop, no kick when the fan stalls): the
 * duty cycle stays what the calibration says.
 */
final class Stirring extends Activity {
  static final double MAX_RPM = 5000;
  /** Upstream's {@code run_after}: the first reading, once the fan has spun up. */
  static final double FIRST_READING_SECONDS = 6;
  private final int pin;
  private final double updateSeconds;
  private final Random noise = new Random();
  private double targetRpm;
  private double dutyCycle;
  private long rpmTimer = -1;
  /** Bumped whenever the fan stops or starts: a reading begun before belongs to a run that is over. */
  private int run;
  private boolean unreadableSaid;

  Stirring(ActivityContext ctx, String experiment, JsonObject options) {
    super(ctx, Jobs.STIRRING, experiment);
    Options o = new Options(Jobs.STIRRING, options, Set.of("target_rpm", "duty_cycle"));
    this.pin = ctx.hat().settings().pwmPins().get(HatSettings.STIRRING);
    var defaults = ctx.defaults().get();
    this.updateSeconds = defaults.stirringUpdateSeconds();
    this.targetRpm = o.number("target_rpm", Math.min(defaults.stirringTargetRpm(), MAX_RPM), 0, MAX_RPM);
    this.dutyCycle = o.has("duty_cycle") ? o.number("duty_cycle", 0, 0, 100) : ctx.hat().settings().dutyForRpm(targetRpm);
    declareSetting("target_rpm", targetRpm, true);
    declareSetting("duty_cycle", dutyCycle, true);
    declareSetting(Topics.MEASURED_RPM, null, false);
  }

  @Override
  protected Future<Void> run() {
    int thisRun = ++run;
    return ctx.hat().dutyCycle(pin, dutyCycle)
        .onSuccess(v -> scheduleReading(Math.min(FIRST_READING_SECONDS, updateSeconds), thisRun));
  }

  @Override
  protected Future<Void> makeSafe() {
    run++;
    if (rpmTimer >= 0) {
      ctx.vertx().cancelTimer(rpmTimer);
      rpmTimer = -1;
    }
    Future<Void> off = ctx.hat().dutyCycle(pin, 0);
    if (isStopping()) {
      return off; // a stop clears measured_rpm with the other settings
    }
    // A pause: upstream says 0 once, then nothing while sleeping.
    return off.compose(v -> publishSetting(Topics.MEASURED_RPM, new MeasuredRpm(0, Instant.now().toString()).toJson()));
  }

  private void scheduleReading(double seconds, int thisRun) {
    rpmTimer = ctx.vertx().setTimer(Math.max(1, Math.round(seconds * 1000)), t -> {
      rpmTimer = -1;
      if (!sameRun(thisRun)) {
        return;
      }
      // (not ready yet: still starting or resuming, so this turn publishes nothing)
      Future<Void> reading = !isReady() ? Future.succeededFuture() : measure()
          .compose(rpm -> sameRun(thisRun) && isReady()
              ? publishSetting(Topics.MEASURED_RPM, new MeasuredRpm(rpm, Instant.now().toString()).toJson())
              : Future.succeededFuture());
      reading.onFailure(err -> {
        if (!unreadableSaid) {
          unreadableSaid = true;
          ctx.log().job(experiment(), name(), "warning", name() + ": cannot read the fan's speed (" + err.getMessage()
              + "); measured_rpm is not published");
        }
      }).onComplete(ar -> {
        if (sameRun(thisRun) && rpmTimer < 0) {
          scheduleReading(updateSeconds, thisRun);
        }
      });
    });
  }

  /** Whether the fan is still on the run a reading was scheduled in (not paused or stopped since). */
  private boolean sameRun(int thisRun) {
    return thisRun == run && !isStopping();
  }

  private Future<Double> measure() {
    if (ctx.hat().settings().mock()) {
      return Future.succeededFuture(simulated());
    }
    // Upstream's window: about 10 turns at the target speed, 1-5 s.
    double window = targetRpm > 0 ? Math.max(1.0, Math.min(10 / (targetRpm / 60.0), 5.0)) : 1.0;
    return ctx.hat().measureRpm(window);
  }

  /** The mock platform's fan: the calibration read backwards from the duty cycle, with about 1 % noise. */
  private double simulated() {
    double rpm = ctx.hat().settings().rpmForDuty(dutyCycle);
    if (Double.isNaN(rpm)) {
      rpm = dutyCycle > 0 ? targetRpm : 0;
    }
    if (rpm <= 0) {
      return 0;
    }
    return Math.max(0, Math.round(rpm * (1 + 0.01 * noise.nextGaussian()) * 10) / 10.0);
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
