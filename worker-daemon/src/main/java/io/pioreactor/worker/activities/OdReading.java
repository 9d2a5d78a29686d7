package io.pioreactor.worker.activities;

import io.pioreactor.protocol.Jobs;
import io.pioreactor.protocol.Readings;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Set;

/**
 * Periodic optical-density readings from the ADC (channels 1 and 2), published as upstream names them:
 * {@code od_reading/ods} (all channels) and {@code od_reading/od1}, {@code od2}. {@code interval} (seconds) is
 * settable. On the mock platform the ADC is fed a simulated culture, so the demo shows growth.
 */
final class OdReading extends Activity {
  static final int[] CHANNELS = {1, 2};
  private double intervalSeconds;
  private long timer = -1;
  private final long startedAt = System.currentTimeMillis();

  OdReading(ActivityContext ctx, String experiment, JsonObject options) {
    super(ctx, Jobs.OD_READING, experiment);
    Options o = new Options(Jobs.OD_READING, options, Set.of("interval"));
    this.intervalSeconds = o.number("interval", ctx.defaults().get().odIntervalSeconds(), 0.1, 3600);
    declareSetting("interval", intervalSeconds, true);
  }

  @Override
  protected Future<Void> run() {
    schedule();
    return Future.succeededFuture();
  }

  private void schedule() {
    timer = ctx.vertx().setTimer(Math.round(intervalSeconds * 1000), t -> {
      timer = -1;
      if (isReady()) {
        read().onComplete(ar -> {
          if (ar.failed()) {
            ctx.log().job(experiment(), name(), "warning", "od_reading: " + ar.cause().getMessage());
          }
          if (isReady() && timer < 0) {
            schedule();
          }
        });
      }
    });
  }

  private Future<Void> read() {
    String now = Instant.now().toString();
    JsonObject ods = new JsonObject();
    Future<Void> chain = Future.succeededFuture();
    for (int ch : CHANNELS) {
      chain = chain.compose(v -> ctx.hat().readAdc(ch, ctx.hat().settings().mock() ? () -> simulated(ch) : null)
          .map(raw -> {
            JsonObject one = new JsonObject().put("od", Math.round(raw / 65535.0 * 3.3 * 10000) / 10000.0)
                .put("raw", raw).put("angle", ch == 1 ? "90" : "REF").put("channel", String.valueOf(ch)).put("timestamp", now);
            ods.put(String.valueOf(ch), one);
            return null;
          }));
    }
    return chain.compose(v -> {
      Future<Void> all = publishData(Readings.ODS, new JsonObject().put(Readings.ODS, ods).put("timestamp", now));
      for (int ch : CHANNELS) {
        all = all.compose(x -> publishData(Readings.odChannel(ch), ods.getJsonObject(String.valueOf(ch))));
      }
      return all;
    });
  }

  /** A logistic culture doubling every ~45 minutes, with a little noise; the reference channel stays flat. */
  private int simulated(int channel) {
    if (channel != 1) {
      return 30000 + (int) (Math.random() * 50);
    }
    double hours = (System.currentTimeMillis() - startedAt) / 3_600_000.0;
    double od = 1.5 / (1 + (1.5 / 0.05 - 1) * Math.exp(-0.92 * hours));
    return (int) Math.min(65535, od / 3.3 * 65535 + Math.random() * 20);
  }

  @Override
  protected Future<Void> makeSafe() {
    if (timer >= 0) {
      ctx.vertx().cancelTimer(timer);
      timer = -1;
    }
    return Future.succeededFuture();
  }

  @Override
  protected Future<Void> applySetting(String setting, String payload) {
    intervalSeconds = Options.parse(name(), setting, payload, 0.1, 3600);
    if (timer >= 0) {
      ctx.vertx().cancelTimer(timer);
      timer = -1;
      schedule();
    }
    return publishSetting("interval", intervalSeconds);
  }
}
