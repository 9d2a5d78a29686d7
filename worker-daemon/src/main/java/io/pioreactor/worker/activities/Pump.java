package io.pioreactor.worker.activities;

import io.pioreactor.protocol.Jobs;
import io.pioreactor.worker.hardware.HatSettings;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * {@code add_media}, {@code remove_waste}, {@code add_alt_media}: runs a pump for the time a volume needs at the
 * configured calibration (or for a given duration), then finishes by itself. A pump cannot pause.
 */
final class Pump extends Activity {
  static final double MAX_SECONDS = 3600;
  private final int pin;
  private final long runMillis;
  private long timer = -1;

  Pump(ActivityContext ctx, String job, String experiment, JsonObject options) {
    super(ctx, job, experiment);
    Options o = new Options(job, options, Set.of("ml", "duration"));
    if (o.has("ml") == o.has("duration")) {
      throw new IllegalArgumentException(job + ": give exactly one of ml or duration (seconds)");
    }
    String output = switch (job) {
      case Jobs.ADD_MEDIA -> HatSettings.MEDIA;
      case Jobs.REMOVE_WASTE -> HatSettings.WASTE;
      default -> HatSettings.ALT_MEDIA;
    };
    double rate = ctx.hat().settings().pumpMlPerSecond().get(output);
    double seconds = o.has("ml") ? o.number("ml", 0, 0, MAX_SECONDS * rate) / rate : o.number("duration", 0, 0, MAX_SECONDS);
    if (seconds <= 0) {
      throw new IllegalArgumentException(job + ": ml or duration must be more than 0");
    }
    this.pin = ctx.hat().settings().pwmPins().get(output);
    this.runMillis = Math.max(1, Math.round(seconds * 1000));
    declareSetting("duration", seconds, false);
    declareSetting("ml", Math.round(seconds * rate * 1000) / 1000.0, false);
  }

  @Override
  protected Future<Void> run() {
    return ctx.hat().dutyCycle(pin, 100).onSuccess(v -> timer = ctx.vertx().setTimer(runMillis, t -> {
      timer = -1;
      ctx.log().job(experiment(), name(), "info", name() + ": pumped " + settingsSnapshot().getValue("ml") + " ml");
      stop();
    }));
  }

  @Override
  protected Future<Void> makeSafe() {
    if (timer >= 0) {
      ctx.vertx().cancelTimer(timer);
      timer = -1;
    }
    return ctx.hat().dutyCycle(pin, 0);
  }

  @Override
  protected boolean canSleep() {
    return false;
  }
}
