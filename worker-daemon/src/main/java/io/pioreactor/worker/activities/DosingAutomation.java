package io.pioreactor.worker.activities;

import io.pioreactor.protocol.JobRun;
import io.pioreactor.protocol.Jobs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * A chemostat: every {@code duration} minutes it adds {@code volume} ml of media, then removes as much waste.
 * Like upstream, it runs the pumps as jobs of their own ({@code add_media}, {@code remove_waste}), so a full stop
 * halts a running pump first (pumps before automations) and a pump never outlives its request. Each pump run says
 * its {@code dosing_events} with {@code source_of_event} {@code dosing_automation:chemostat} (upstream's
 * {@code <job>:<automation>}).
 */
final class DosingAutomation extends Activity {
  static final String SOURCE_OF_EVENT = Jobs.DOSING_AUTOMATION + ":" + Jobs.CHEMOSTAT;
  private final double volume;
  private final long everyMillis;
  private long timer = -1;
  private int exchanges;

  DosingAutomation(ActivityContext ctx, String experiment, JsonObject options) {
    super(ctx, Jobs.DOSING_AUTOMATION, experiment);
    Options o = new Options(name(), options, Set.of("volume", "duration", Jobs.AUTOMATION_NAME));
    o.onlyAutomation(Jobs.CHEMOSTAT);
    declareSetting(Jobs.AUTOMATION_NAME, Jobs.CHEMOSTAT, false);
    this.volume = o.number("volume", 0.5, 0.001, 20);
    this.everyMillis = Math.round(o.number("duration", 20, 0.001, 24 * 60) * 60_000);
    declareSetting("volume", volume, false);
    declareSetting("duration", everyMillis / 60_000.0, false);
    declareSetting("vial_exchanges", 0, false);
  }

  @Override
  protected Future<Void> run() {
    schedule();
    return Future.succeededFuture();
  }

  private void schedule() {
    timer = ctx.vertx().setTimer(everyMillis, t -> {
      timer = -1;
      if (!isReady()) {
        return;
      }
      JsonObject ml = new JsonObject().put("ml", volume).put(Pump.SOURCE_OF_EVENT, SOURCE_OF_EVENT);
      ctx.children().runToCompletion(new JobRun(Jobs.ADD_MEDIA, experiment(), ml, List.of()))
          .compose(v -> isReady() ? ctx.children().runToCompletion(new JobRun(Jobs.REMOVE_WASTE, experiment(), ml, List.of()))
              : Future.succeededFuture())
          .compose(v -> isReady() ? publishSetting("vial_exchanges", ++exchanges) : Future.succeededFuture())
          .onFailure(err -> ctx.log().job(experiment(), name(), "warning", "dosing skipped: " + err.getMessage()))
          .onComplete(ar -> {
            if (isReady() && timer < 0) {
              schedule();
            }
          });
    });
  }

  @Override
  protected Future<Void> makeSafe() {
    if (timer >= 0) {
      ctx.vertx().cancelTimer(timer);
      timer = -1;
    }
    // Its pumps are jobs of their own, stopped before it in a full stop; on a pause they finish their run.
    return Future.succeededFuture();
  }

  @Override
  protected boolean canSleep() {
    return true;
  }
}
