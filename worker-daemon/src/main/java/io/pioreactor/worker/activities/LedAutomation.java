package io.pioreactor.worker.activities;

import io.pioreactor.protocol.Jobs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A light/dark cycle on LED channels B and C: {@code light_intensity} % for {@code light_hours}, then off for
 * {@code dark_hours}, repeated. {@code light_active} says which phase it is in. Each change of B and C is said as
 * upstream's {@code led_change_events}, from {@code led_automation:light_dark_cycle} (upstream's
 * {@code <job>:<automation>}), as is their turning off on pause and stop.
 */
final class LedAutomation extends Activity {
  private static final List<Character> CHANNELS = List.of('B', 'C');
  static final String SOURCE_OF_EVENT = Jobs.LED_AUTOMATION + ":" + Jobs.LIGHT_DARK_CYCLE;
  private final double intensity;
  private final long lightMillis;
  private final long darkMillis;
  private boolean light;
  private long timer = -1;

  LedAutomation(ActivityContext ctx, String experiment, JsonObject options) {
    super(ctx, Jobs.LED_AUTOMATION, experiment);
    Options o = new Options(name(), options, Set.of("light_intensity", "light_hours", "dark_hours", Jobs.AUTOMATION_NAME));
    o.onlyAutomation(Jobs.LIGHT_DARK_CYCLE);
    declareSetting(Jobs.AUTOMATION_NAME, Jobs.LIGHT_DARK_CYCLE, false);
    this.intensity = o.number("light_intensity", 50, 0, 100);
    this.lightMillis = Math.round(o.number("light_hours", 16, 0.0001, 24 * 30) * 3_600_000);
    this.darkMillis = Math.round(o.number("dark_hours", 8, 0.0001, 24 * 30) * 3_600_000);
    declareSetting("light_intensity", intensity, false);
    declareSetting("light_active", false, false);
  }

  @Override
  protected Future<Void> run() {
    return phase(true);
  }

  private Future<Void> phase(boolean on) {
    light = on;
    timer = ctx.vertx().setTimer(on ? lightMillis : darkMillis, t -> {
      timer = -1;
      if (isReady()) {
        phase(!light);
      }
    });
    return write(on ? intensity : 0).compose(v -> publishSetting("light_active", on));
  }

  private Future<Void> write(double level) {
    Map<Character, Double> levels = new LinkedHashMap<>();
    CHANNELS.forEach(c -> levels.put(c, level));
    return LedWrites.apply(this, levels, SOURCE_OF_EVENT);
  }

  @Override
  protected Future<Void> makeSafe() {
    if (timer >= 0) {
      ctx.vertx().cancelTimer(timer);
      timer = -1;
    }
    return write(0);
  }
}
