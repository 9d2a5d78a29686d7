package io.pioreactor.leader.clusterconfig;

import io.pioreactor.leader.inventory.WorkerRepository;
import io.pioreactor.leader.inventory.WorkerRow;
import io.pioreactor.protocol.ConfigDelivery;
import io.pioreactor.protocol.ConfigStatus;
import io.pioreactor.protocol.MalformedMessageException;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.mqtt.MqttConnection;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets each unit its effective configuration and knows what each unit did with it. The configuration goes retained
 * to {@link Topics#unitConfig} (that unit's alone: only it and the leader may read it), so a unit away gets it the
 * moment it is back; the unit answers on its retained {@link Topics#configStatus}, so the leader knows after its own
 * restart too. Every (re)connect re-sends all of it: nothing depends on one message getting through.
 */
public final class ConfigDeliveries {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigDeliveries.class);

  /** What the leader sent a unit: the version, and since when it waits for that version to be applied. */
  private record Sent(String version, String since) {}

  private final Vertx vertx;
  private final MqttConnection mqtt;
  private final WorkerRepository workers;
  private final ClusterConfigService configs;
  private final Map<String, Sent> sent = new HashMap<>();
  private final Map<String, ConfigStatus> statuses = new HashMap<>();
  private final Map<String, List<Promise<Void>>> waiting = new HashMap<>();
  /** When each unit's status was last heard (nanoTime): a sync counts only answers heard after it re-sent. */
  private final Map<String, Long> heardAt = new HashMap<>();
  private Set<String> inventory = Set.of();
  /**
   * Which computation of the texts sent each unit its last one. Texts are computed from the database asynchronously, so
   * an earlier computation (begun before an edit was stored) can finish after a later one: it must not send the unit
   * back to the older text. Computations are numbered as they start; a unit takes a text only from one numbered at
   * least as high as the last it was sent.
   */
  private long computations;
  private final Map<String, Long> sentBy = new HashMap<>();
  private java.util.function.Consumer<JsonObject> statusChanged = s -> {};

  public ConfigDeliveries(Vertx vertx, MqttConnection mqtt, WorkerRepository workers, ClusterConfigService configs) {
    this.vertx = vertx;
    this.mqtt = mqtt;
    this.workers = workers;
    this.configs = configs;
  }

  /** Gets {@code {pioreactor_unit, status}} when what a unit says of its configuration changes (the page's cards follow it). */
  public ConfigDeliveries onStatusChange(java.util.function.Consumer<JsonObject> r) {
    this.statusChanged = r;
    return this;
  }

  /** Sends every unit in the inventory its effective configuration; clears nothing. After every (re)connect and edit. */
  public Future<Void> deliverAll() {
    long computation = ++computations;
    return workers.all().compose(rows -> {
      inventory = Set.copyOf(rows.stream().map(WorkerRow::unit).toList());
      statuses.keySet().retainAll(inventory);
      sent.keySet().retainAll(inventory);
      sentBy.keySet().retainAll(inventory);
      return configs.effectiveOfAll(rows.stream().map(WorkerRow::unit).toList()).compose(byUnit -> {
        List<Future<Void>> all = new ArrayList<>();
        byUnit.forEach((unit, ini) -> all.add(send(unit, ini.text(), computation)));
        return Future.join(all).<Void>mapEmpty().otherwise((Void) null); // each failure is logged; the next connect re-sends
      });
    });
  }

  /** Sends {@code unit} its effective configuration (retained). */
  public Future<Void> deliver(String unit) {
    long computation = ++computations;
    return configs.effective(unit).compose(ini -> send(unit, ini.text(), computation));
  }

  /** One unit's text: its version, since when it is pending, the retained publish (unless a later computation sent one). */
  private Future<Void> send(String unit, String text, long computation) {
    Long last = sentBy.get(unit);
    if (last != null && last > computation) {
      return Future.succeededFuture(); // computed before what the unit was sent since: older, never sent after it
    }
    sentBy.put(unit, computation);
    String version = ConfigDelivery.versionOf(text);
    Sent before = sent.get(unit);
    String since = before != null && before.version().equals(version) ? before.since() : Instant.now().toString();
    sent.put(unit, new Sent(version, since));
    if (before == null || !before.version().equals(version)) {
      statusChanged.accept(new JsonObject().put("pioreactor_unit", unit).put("status", status(unit))); // the unit is pending this version now: the page shows that too, not only its answer
    }
    if (!mqtt.isConnected()) {
      return Future.<Void>succeededFuture(); // sent on the next connect
    }
    return mqtt.publish(Topics.unitConfig(unit), new ConfigDelivery(version, text, since).toBuffer(), 1, true)
        .<Void>mapEmpty()
        .onFailure(err -> LOG.warn("could not send {} its configuration ({}); it is sent again on the next connect", unit, err.getMessage()));
  }

  /** A unit just added (or any inventory event): sends its configuration if it has none from this leader yet. */
  public void deliverIfNew(String unit) {
    if (sent.containsKey(unit)) {
      return;
    }
    workers.find(unit).onSuccess(row -> {
      if (row.isPresent() && !sent.containsKey(unit)) {
        java.util.Set<String> more = new java.util.HashSet<>(inventory);
        more.add(unit);
        inventory = Set.copyOf(more);
        deliver(unit);
      }
    });
  }

  /** A unit gone from the inventory: its retained configuration goes too. */
  public Future<Void> forget(String unit) {
    java.util.Set<String> fewer = new java.util.HashSet<>(inventory);
    fewer.remove(unit);
    inventory = Set.copyOf(fewer);
    sent.remove(unit);
    sentBy.remove(unit);
    statuses.remove(unit);
    heardAt.remove(unit);
    return mqtt.isConnected() ? mqtt.publish(Topics.unitConfig(unit), Buffer.buffer(), 1, true).mapEmpty() : Future.succeededFuture();
  }

  /** {@code pioreactor/<unit>/$experiment/monitor/config}: what the unit says it runs. Only units in the inventory count. */
  public void onStatus(String unit, Buffer payload) {
    if (!inventory.contains(unit)) {
      return;
    }
    if (payload.length() == 0) {
      statuses.remove(unit);
      return;
    }
    try {
      ConfigStatus s = ConfigStatus.fromBuffer(payload);
      statuses.put(unit, s);
      heardAt.put(unit, System.nanoTime());
      Sent expected = sent.get(unit);
      if (expected != null && expected.version().equals(s.version())) {
        List<Promise<Void>> w = waiting.remove(unit);
        if (w != null) {
          w.forEach(Promise::tryComplete);
        }
      }
      statusChanged.accept(new JsonObject().put("pioreactor_unit", unit).put("status", status(unit)));
    } catch (MalformedMessageException e) {
      LOG.warn("ignored {}'s configuration status: {}", unit, e.getMessage());
    }
  }

  /**
   * What the page and CLI show for {@code unit}: {@code {version, since, state: current|pending|refused|unknown,
   * applied_version, reason, jobs_on_older}}.
   */
  public JsonObject status(String unit) {
    Sent expected = sent.get(unit);
    ConfigStatus s = statuses.get(unit);
    JsonObject o = new JsonObject().put("version", expected == null ? null : expected.version())
        .put("since", expected == null ? null : expected.since());
    String state;
    if (expected == null) {
      state = "unknown";
    } else if (s != null && s.version().equals(expected.version())) {
      state = ConfigStatus.APPLIED.equals(s.status()) ? "current" : "refused";
    } else {
      state = "pending";
    }
    o.put("state", state);
    if (s != null) {
      o.put("applied_version", s.runningVersion() != null ? s.runningVersion()
          : ConfigStatus.APPLIED.equals(s.status()) ? s.version() : null);
      o.put("reason", ConfigStatus.REFUSED.equals(s.status()) && s.version().equals(expected == null ? null : expected.version()) ? s.reason() : null);
      JsonObject older = new JsonObject();
      new java.util.TreeMap<>(s.jobsOnOlder()).forEach(older::put);
      o.put("jobs_on_older", older);
      o.put("answered_at", s.at());
    }
    return o;
  }

  /**
   * {@code pios sync-configs}: sends the units their configuration again and waits (at most {@code timeoutMs}) for
   * each to say what it did with this version. One row per unit: {@code {pioreactor_unit, version, state, reason}}.
   */
  public Future<JsonArray> sync(List<String> units, long timeoutMs) {
    long computation = ++computations;
    return workers.all().compose(rows -> {
      inventory = Set.copyOf(rows.stream().map(WorkerRow::unit).toList());
      List<String> chosen = units == null || units.isEmpty() ? new ArrayList<>(inventory.stream().sorted().toList()) : units;
      for (String u : chosen) {
        if (!inventory.contains(u)) {
          return Future.failedFuture(io.pioreactor.leader.api.ApiException.notFound(u + " is not in the inventory"));
        }
      }
      long asked = System.nanoTime();
      Future<List<Future<Void>>> sentAll = configs.effectiveOfAll(chosen).map(byUnit -> {
        List<Future<Void>> answers = new ArrayList<>();
        byUnit.forEach((u, ini) -> answers.add(send(u, ini.text(), computation).compose(v -> answered(u, asked, timeoutMs))));
        return answers;
      });
      return sentAll.compose(answers -> Future.join(answers).transform(ar -> Future.succeededFuture())).compose(x -> {
        JsonArray out = new JsonArray();
        for (String u : chosen) {
          JsonObject st = status(u);
          if (heardAt.getOrDefault(u, Long.MIN_VALUE) - asked < 0) {
            st.put("state", "pending"); // (what it said before this sync does not count: it may be off now)
          }
          out.add(new JsonObject().put("pioreactor_unit", u).put("version", st.getString("version"))
              .put("state", "pending".equals(st.getString("state")) ? "no answer" : st.getString("state"))
              .put("reason", "pending".equals(st.getString("state"))
                  ? "no answer within " + timeoutMs / 1000 + " s: is " + u + " online? It applies the configuration when it is back"
                  : st.getString("reason"))
              .put("jobs_on_older", st.getJsonObject("jobs_on_older", new JsonObject())));
        }
        return Future.succeededFuture(out);
      });
    });
  }

  /** Completes when {@code unit} has said, since {@code asked}, what it did with the version it was sent. */
  private Future<Void> answered(String unit, long asked, long timeoutMs) {
    Sent expected = sent.get(unit);
    ConfigStatus s = statuses.get(unit);
    if (expected != null && s != null && s.version().equals(expected.version()) && heardAt.getOrDefault(unit, Long.MIN_VALUE) - asked >= 0) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    waiting.computeIfAbsent(unit, k -> new ArrayList<>()).add(p);
    long timer = vertx.setTimer(timeoutMs, t -> p.tryFail("no answer"));
    return p.future().onComplete(ar -> {
      vertx.cancelTimer(timer);
      List<Promise<Void>> w = waiting.get(unit);
      if (w != null) {
        w.remove(p);
        if (w.isEmpty()) {
          waiting.remove(unit);
        }
      }
    });
  }
}
