package io.pioreactor.worker.activities;

import io.pioreactor.protocol.LedChangeEvent;
import io.pioreactor.protocol.Topics;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * LED writes for a job, each channel it changes said as upstream says it: one {@link LedChangeEvent} per changed
 * channel on {@code pioreactor/<unit>/<experiment>/led_change_events}, A to D, one timestamp for the change, after
 * the driver has taken it. A channel written with the level it already had says nothing.
 */
final class LedWrites {
  private LedWrites() {}

  /** Writes {@code levels} (channel to %) for {@code job}; {@code source} is the event's {@code source_of_event}. */
  static Future<Void> apply(Activity job, Map<Character, Double> levels, String source) {
    TreeMap<Character, Double> ordered = new TreeMap<>(levels);
    List<Character> channels = new ArrayList<>(ordered.keySet());
    List<Future<Boolean>> writes = new ArrayList<>();
    channels.forEach(c -> writes.add(job.ctx.hat().ledIntensity(c, ordered.get(c))));
    return Future.join(writes).transform(written -> {
      // Said for every channel that changed, also when another channel's write failed.
      String now = Instant.now().toString();
      String topic = Topics.ledChangeEvents(job.ctx.unit(), job.experiment());
      List<Future<Void>> said = new ArrayList<>();
      for (int i = 0; i < channels.size(); i++) {
        if (writes.get(i).succeeded() && writes.get(i).result()) {
          LedChangeEvent e = new LedChangeEvent(String.valueOf(channels.get(i)), ordered.get(channels.get(i)), source, now);
          said.add(job.publishEvent(topic, e.toJson()));
        }
      }
      Future<Void> events = Future.join(said).<Void>mapEmpty().otherwiseEmpty();
      return written.failed() ? events.compose(v -> Future.<Void>failedFuture(written.cause())) : events;
    });
  }
}
