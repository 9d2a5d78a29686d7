package io.pioreactor.worker.activities;

import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Readings;
import io.pioreactor.protocol.Topics;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Set;

/**
 * Follows this unit's {@code od_reading/od1} and publishes a smoothed specific growth rate (per hour, the slope of
 * ln OD) as {@code growth_rate} and the smoothed OD divided by the first one as {@code od_filtered} (upstream's
 * normalized OD: 1 at the start), upstream's names and meanings. It drives no hardware.
 */
final class GrowthRateCalculating extends Activity {
  private final double smoothing;
  private double lastLnOd = Double.NaN;
  private long lastMillis;
  private double rate;
  private double odFiltered = Double.NaN;
  private double odInitial = Double.NaN;

  GrowthRateCalculating(ActivityContext ctx, String experiment, JsonObject options) {
    super(ctx, Jobs.GROWTH_RATE_CALCULATING, experiment);
    Options o = new Options(name(), options, Set.of("smoothing"));
    this.smoothing = o.number("smoothing", 0.1, 0.001, 1);
    // No value until the first reading: an empty object is no reading, and the leader would refuse to store it.
    declareSetting(Readings.GROWTH_RATE, null, false);
    declareSetting(Readings.OD_FILTERED, null, false);
    subscribe(Topics.job(ctx.unit(), experiment, Jobs.OD_READING, Readings.odChannel(1)), m -> onReading(m.payload().toString()));
  }

  private void onReading(String payload) {
    if (!isReady()) {
      return;
    }
    double od;
    try {
      od = new JsonObject(payload).getDouble("od", Double.NaN);
    } catch (DecodeException | ClassCastException e) {
      return;
    }
    if (!(od > 0)) {
      return;
    }
    long now = System.currentTimeMillis();
    odFiltered = Double.isNaN(odFiltered) ? od : smoothing * od + (1 - smoothing) * odFiltered;
    if (Double.isNaN(odInitial)) {
      odInitial = odFiltered;
    }
    double ln = Math.log(odFiltered);
    if (!Double.isNaN(lastLnOd) && now > lastMillis) {
      double instant = (ln - lastLnOd) / ((now - lastMillis) / 3_600_000.0);
      rate = smoothing * instant + (1 - smoothing) * rate;
    }
    lastLnOd = ln;
    lastMillis = now;
    String ts = Instant.now().toString();
    double normalized = odFiltered / odInitial;
    publishSetting(Readings.GROWTH_RATE, new JsonObject().put(Readings.GROWTH_RATE, Math.round(rate * 1e5) / 1e5).put("timestamp", ts))
        .compose(v -> publishSetting(Readings.OD_FILTERED, new JsonObject().put(Readings.OD_FILTERED, Math.round(normalized * 1e5) / 1e5)
            .put("timestamp", ts)));
  }

  @Override
  protected Future<Void> run() {
    return Future.succeededFuture();
  }

  @Override
  protected Future<Void> makeSafe() {
    return Future.succeededFuture();
  }
}
