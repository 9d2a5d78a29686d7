package io.pioreactor.worker.activities;

import io.pioreactor.protocol.DosingEvent;
import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.MalformedMessageException;
import io.pioreactor.protocol.Topics;
import io.pioreactor.worker.hardware.HatSettings;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Set;

/**
 * {@code add_media}, {@code remove_waste}, {@code add_alt_media}: runs a pump for the time a volume needs at the
 * configured calibration (or for a given duration), then finishes by itself. A pump cannot pause.
 * When a run ends, with the pump off, it says what it moved as upstream's {@link DosingEvent} on
 * {@code pioreactor/<unit>/<experiment>/dosing_events}: the whole volume when it ran its time, what it had moved by
 * then (time × calibration) when it was stopped early; nothing when the pump never started. {@code source_of_event}
 * is the option of that name (upstream's {@code --source-of-event}; a dosing automation gives its own), else the
 * job's name. Upstream sends a run as 0.5 s pieces; here it is one event, sent once the run is over.
 */
final class Pump extends Activity {
  static final double MAX_SECONDS = 3600;
  static final String SOURCE_OF_EVENT = "source_of_event";
  private final int pin;
  private final long runMillis;
  private final double mlPerSecond;
  private final double ml;
  private final String source;
  private long timer = -1;
  private long startedNanos = -1;
  private boolean ranItsTime;
  private boolean told;

  Pump(ActivityContext ctx, String job, String experiment, JsonObject options) {
    super(ctx, job, experiment);
    Options o = new Options(job, options, Set.of("ml", "duration", SOURCE_OF_EVENT));
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
    this.source = o.text(SOURCE_OF_EVENT, job);
    try {
      new DosingEvent(0, job, source, Instant.now().toString()); // refused now rather than when the run is over
    } catch (MalformedMessageException e) {
      throw new IllegalArgumentException(job + ": " + e.getMessage());
    }
    this.pin = ctx.hat().settings().pwmPins().get(output);
    this.runMillis = Math.max(1, Math.round(seconds * 1000));
    this.mlPerSecond = rate;
    this.ml = round(seconds * rate);
    declareSetting("duration", seconds, false);
    declareSetting("ml", ml, false);
  }

  @Override
  protected Future<Void> run() {
    return ctx.hat().dutyCycle(pin, 100).onSuccess(v -> {
      startedNanos = System.nanoTime();
      timer = ctx.vertx().setTimer(runMillis, t -> {
        timer = -1;
        ranItsTime = true;
        ctx.log().job(experiment(), name(), "info", name() + ": pumped " + ml + " ml");
        stop();
      });
    });
  }

  @Override
  protected Future<Void> makeSafe() {
    if (timer >= 0) {
      ctx.vertx().cancelTimer(timer);
      timer = -1;
    }
    return ctx.hat().dutyCycle(pin, 0).transform(off -> tell().otherwiseEmpty()
        .transform(x -> off.succeeded() ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(off.cause())));
  }

  /** The run's dosing event, once: after the pump is off (or was told to be). */
  private Future<Void> tell() {
    if (startedNanos < 0 || told) {
      return Future.succeededFuture();
    }
    told = true;
    double moved = ranItsTime ? ml : Math.min(ml, round((System.nanoTime() - startedNanos) / 1e9 * mlPerSecond));
    if (moved <= 0) {
      return Future.succeededFuture();
    }
    DosingEvent e = new DosingEvent(moved, name(), source, Instant.now().toString());
    return publishEvent(Topics.dosingEvents(ctx.unit(), experiment()), e.toJson());
  }

  private static double round(double ml) {
    return Math.round(ml * 1000) / 1000.0;
  }

  @Override
  protected boolean canSleep() {
    return false;
  }
}
