package io.pioreactor.leader.telemetry;

import io.pioreactor.leader.config.StorageLimits;
import io.pioreactor.leader.database.BatchedInserts;
import io.pioreactor.leader.database.Writes;
import io.pioreactor.leader.limits.Throttled;
import io.pioreactor.leader.limits.TokenBuckets;
import io.pioreactor.protocol.MalformedMessageException;
import io.pioreactor.protocol.Topic;
import io.pioreactor.protocol.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores what jobs measure ({@link ReadingTable}) in upstream's tables, batched (many rows per transaction), timestamped
 * by the unit. Bounded: a unit may have {@code storage.readings_rate_per_unit} rows a second stored in each table (past
 * it rows are dropped and the leader's log says so once a minute), a payload is at most {@link #MAX_PAYLOAD} bytes, and
 * {@code storage.readings_max_age_days} (0, the default: keep everything; experiments are the data) prunes by age.
 * Retained replays are not new readings and are not stored again. Rows that are committed are also handed, once a
 * second and grouped by experiment, to whoever draws them live ({@link #onStored}).
 */
public final class TelemetryStore {
  private static final Logger LOG = LoggerFactory.getLogger(TelemetryStore.class);
  static final int MAX_PAYLOAD = 2_048;
  /** Points held for the live stream between two hand-overs; past it the page reloads from the database anyway. */
  private static final int MAX_LIVE_POINTS = 20_000;

  private final Vertx vertx;
  private final Pool pool;
  private final StorageLimits limits;
  private final Map<ReadingTable, BatchedInserts> inserts = new EnumMap<>(ReadingTable.class);
  private final TokenBuckets perUnitAndTable;
  private final Throttled dropped = new Throttled(LOG, "published readings faster than the leader stores; dropped");
  private final Throttled malformed = new Throttled(LOG, "published a reading the leader cannot believe; dropped");
  private final Map<String, JsonArray> live = new LinkedHashMap<>();
  private int livePoints;
  private long liveTimer = -1;
  private Consumer<JsonObject> onStored = e -> {};
  private long stored;

  public TelemetryStore(Vertx vertx, Pool pool, StorageLimits limits) {
    this.vertx = vertx;
    this.pool = pool;
    this.limits = limits;
    for (ReadingTable t : ReadingTable.values()) {
      inserts.put(t, new BatchedInserts(pool, t.insertSql(), 50_000));
    }
    this.perUnitAndTable = new TokenBuckets(limits.readingsRatePerUnit(), limits.readingsBurstPerUnit(), 20_000);
  }

  /** {@code l} hears {@code {experiment, readings: [{pioreactor_unit, table, series, x, y}]}} about once a second. */
  public TelemetryStore onStored(Consumer<JsonObject> l) {
    this.onStored = l;
    return this;
  }

  /** Whether the topic is a reading this store keeps (then {@link #store} takes it). */
  public static boolean isReading(Topic topic) {
    return ReadingTable.fedBy(topic).isPresent();
  }

  /** Stores one message, if it is a reading; completes when its row is committed (or at once when it is not kept). */
  public Future<Void> store(String rawTopic, Topic topic, Buffer payload, boolean retainedReplay) {
    Optional<ReadingTable> table = ReadingTable.fedBy(topic);
    if (table.isEmpty() || retainedReplay || payload.length() == 0 || rawTopic.contains(Topics.TESTING_MARKER)) {
      return Future.succeededFuture();
    }
    ReadingTable t = table.get();
    Optional<ReadingTable.Reading> reading;
    try {
      if (payload.length() > MAX_PAYLOAD) {
        throw new MalformedMessageException(payload.length() + " bytes (a reading is at most " + MAX_PAYLOAD + ")");
      }
      reading = t.parse(topic, new JsonObject(payload));
    } catch (MalformedMessageException | DecodeException | ClassCastException e) {
      malformed.refused(topic.unit(), t.table() + ": " + e.getMessage());
      return Future.succeededFuture();
    }
    if (reading.isEmpty()) {
      return Future.succeededFuture();
    }
    if (!perUnitAndTable.tryTake(topic.unit() + "/" + t.table())) {
      dropped.refused(topic.unit(), t.table() + ": limit " + limits.readingsRatePerUnit()
          + " rows a second per table; storage.readings_rate_per_unit in the leader's config");
      return Future.succeededFuture();
    }
    ReadingTable.Reading r = reading.get();
    return inserts.get(t).insert(r.row()).onSuccess(v -> {
      stored++;
      handOver(r);
    });
  }

  /** Rows committed since the leader started (for the bench and health). */
  public long storedCount() {
    return stored;
  }

  private void handOver(ReadingTable.Reading r) {
    if (livePoints >= MAX_LIVE_POINTS) {
      return;
    }
    livePoints++;
    live.computeIfAbsent(r.topic().experiment(), e -> new JsonArray()).add(new JsonObject()
        .put("pioreactor_unit", r.topic().unit()).put("table", r.table().table()).put("series", r.series())
        .put("x", r.timestamp()).put("y", round(r.y(), r.table().decimals())));
    if (liveTimer < 0) {
      liveTimer = vertx.setTimer(1_000, id -> {
        liveTimer = -1;
        List<Map.Entry<String, JsonArray>> batches = new ArrayList<>(live.entrySet());
        live.clear();
        livePoints = 0;
        batches.forEach(b -> onStored.accept(new JsonObject().put("experiment", b.getKey()).put("readings", b.getValue())));
      });
    }
  }

  static double round(double y, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(y * f) / f;
  }

  /** Drops readings older than {@code storage.readings_max_age_days}, when set. */
  public Future<Void> prune() {
    if (limits.readingsMaxAgeDays() == 0) {
      return Future.succeededFuture();
    }
    String before = UnitTime.format(Instant.now().minus(Duration.ofDays(limits.readingsMaxAgeDays())));
    Future<Void> chain = Future.succeededFuture();
    for (ReadingTable t : ReadingTable.values()) {
      chain = chain.compose(v -> Writes.execute(pool, "DELETE FROM " + t.table() + " WHERE timestamp < ?", Tuple.of(before)).mapEmpty());
    }
    return chain;
  }

  public void close() {
    if (liveTimer >= 0) {
      vertx.cancelTimer(liveTimer);
    }
  }
}
