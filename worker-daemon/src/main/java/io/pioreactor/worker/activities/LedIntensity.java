package io.pioreactor.worker.activities;

import io.pioreactor.protocol.Jobs;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The four LED channels A-D, each 0-100 %, published as one retained setting {@code intensity}. Every channel it
 * changes (on start, on {@code intensity/set}, off on pause and stop, back on resume) is also said as upstream's
 * {@code led_change_events} with {@code source_of_event} {@code led_intensity} ({@link LedWrites}).
 */
final class LedIntensity extends Activity {
  static final List<String> CHANNELS = List.of("A", "B", "C", "D");
  private final JsonObject intensity = new JsonObject();

  LedIntensity(ActivityContext ctx, String experiment, JsonObject options) {
    super(ctx, Jobs.LED_INTENSITY, experiment);
    Options o = new Options(Jobs.LED_INTENSITY, options, Set.copyOf(CHANNELS));
    for (String c : CHANNELS) {
      intensity.put(c, o.number(c, 0, 0, 100));
    }
    declareSetting("intensity", intensity.copy(), true);
  }

  @Override
  protected Future<Void> run() {
    return write(intensity);
  }

  @Override
  protected Future<Void> makeSafe() {
    JsonObject off = new JsonObject();
    CHANNELS.forEach(c -> off.put(c, 0.0));
    return write(off);
  }

  /** {@code intensity/set} takes a JSON object with some of A-D, e.g. {@code {"A": 20}}. */
  @Override
  protected Future<Void> applySetting(String setting, String payload) {
    JsonObject change;
    try {
      change = new JsonObject(payload);
    } catch (DecodeException e) {
      return Future.failedFuture(new IllegalArgumentException("intensity must be a JSON object like {\"A\": 20}"));
    }
    Options o = new Options(name(), change, Set.copyOf(CHANNELS));
    JsonObject next = intensity.copy();
    for (String c : CHANNELS) {
      if (o.has(c)) {
        next.put(c, o.number(c, 0, 0, 100));
      }
    }
    intensity.mergeIn(next);
    Future<Void> applied = isReady() ? write(intensity) : Future.succeededFuture();
    return applied.compose(v -> publishSetting("intensity", intensity.copy()));
  }

  private Future<Void> write(JsonObject levels) {
    Map<Character, Double> byChannel = new LinkedHashMap<>();
    for (String c : CHANNELS) {
      byChannel.put(c.charAt(0), levels.getDouble(c));
    }
    return LedWrites.apply(this, byChannel, Jobs.LED_INTENSITY);
  }
}
