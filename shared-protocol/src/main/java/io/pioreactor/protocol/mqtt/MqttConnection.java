package io.pioreactor.protocol.mqtt;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.messages.MqttPublishMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT session that stays up: it connects with a last will, re-subscribes and runs the
 * {@code onConnected} hook after every (re)connect, and reconnects with back-off when the broker goes
 * away. The hook is where a daemon re-asserts its retained state, so a broker restart loses nothing.
 * Use from one event loop (a verticle's).
 */
public final class MqttConnection {
  private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);
  private static final long MIN_BACKOFF_MS = 200;
  private static final long MAX_BACKOFF_MS = 2_000;

  /** A last will: topic, payload, retained, QoS 1. */
  public record Will(String topic, String payload) {}

  private final Vertx vertx;
  private final MqttSettings settings;
  private final String clientId;
  private final Will will;
  private static final long SUBACK_WAIT_S = 5;
  private final Map<String, Integer> subscriptions = new LinkedHashMap<>();
  private Handler<MqttPublishMessage> messageHandler = m -> {};
  private Supplier<Future<?>> onConnected = Future::succeededFuture;
  private Runnable onDisconnected = () -> {};
  private Map<Integer, Promise<Integer>> unacked = new java.util.HashMap<>();
  /** How long a QoS 1 publish waits for its PUBACK. */
  static final long PUBACK_WAIT_S = 10;
  /** PUBACKs that arrived before the write completed (rare; same event loop, so no lock). */
  private final java.util.Set<Integer> earlyAcks = new java.util.HashSet<>();
  private MqttClient client;
  private boolean connected;
  private boolean closing;
  private long backoffMs = MIN_BACKOFF_MS;
  private int failures;
  private Promise<Void> firstConnect = Promise.promise();
  /** Completes when the connect attempt under way has either failed, become a session, or left because of a close. */
  private Future<Void> attemptSettled = Future.succeededFuture();

  public MqttConnection(Vertx vertx, MqttSettings settings, String clientId, Will will) {
    this.vertx = vertx;
    this.settings = settings;
    this.clientId = clientId;
    this.will = will;
  }

  public MqttConnection subscribe(String filter, int qos) {
    subscriptions.put(filter, qos);
    if (connected) {
      client.subscribe(filter, qos);
    }
    return this;
  }

  public MqttConnection messageHandler(Handler<MqttPublishMessage> handler) {
    this.messageHandler = handler;
    return this;
  }

  /** Runs after every successful connect and re-subscribe; its future is awaited by {@link #start()}. */
  public MqttConnection onConnected(Supplier<Future<?>> hook) {
    this.onConnected = hook;
    return this;
  }

  /** Runs when an established session is lost (not on {@link #close()}). */
  public MqttConnection onDisconnected(Runnable hook) {
    this.onDisconnected = hook;
    return this;
  }

  /** Subscribes again to one filter, so the broker replays its retained messages. */
  public Future<Void> resubscribe(String filter) {
    Integer qos = subscriptions.get(filter);
    if (!connected || qos == null) {
      return Future.succeededFuture();
    }
    MqttClient c = client;
    return c.unsubscribe(filter).compose(v -> c.subscribe(filter, qos)).mapEmpty();
  }

  /**
   * Reads what the broker holds retained under {@code filter}, once: subscribes (not again after a reconnect), hands
   * every retained message to {@code handler} for {@code window} after the broker's SUBACK, then unsubscribes. Live
   * messages meanwhile go to the message handler as usual (which ignores what it did not subscribe to).
   */
  public Future<Void> readRetained(String filter, java.time.Duration window, Handler<MqttPublishMessage> handler) {
    if (!connected) {
      return Future.succeededFuture();
    }
    MqttClient c = client;
    Map<Integer, Promise<Void>> acks = subacks;
    temporary.put(filter, handler);
    return c.subscribe(filter, 1)
        .compose(id -> acks.computeIfAbsent(id, k -> Promise.promise()).future().onComplete(done -> acks.remove(id))
            .timeout(SUBACK_WAIT_S, java.util.concurrent.TimeUnit.SECONDS))
        .compose(v -> vertx.timer(window.toMillis()))
        .eventually(() -> {
          temporary.remove(filter);
          if (temporary.isEmpty()) {
            seenUnderTemporary.clear();
          }
          return client == c && connected && !subscriptions.containsKey(filter) ? c.unsubscribe(filter) : Future.succeededFuture();
        })
        .mapEmpty();
  }

  private final Map<String, Handler<MqttPublishMessage>> temporary = new LinkedHashMap<>();
  /** Live messages seen under a temporary filter (topic and payload), to drop their second copy; bounded. */
  private final java.util.Set<String> seenUnderTemporary = new java.util.HashSet<>();
  private static final int MAX_SEEN_UNDER_TEMPORARY = 10_000;

  private boolean firstCopy(MqttPublishMessage msg) {
    String key = msg.topicName() + '\u0000' + msg.payload().toString();
    if (seenUnderTemporary.remove(key)) {
      return false;
    }
    if (seenUnderTemporary.size() < MAX_SEEN_UNDER_TEMPORARY) {
      seenUnderTemporary.add(key);
    }
    return true;
  }
  /** SUBACKs by packet id, for the current session: awaited by whoever subscribed. */
  private Map<Integer, Promise<Void>> subacks = new java.util.HashMap<>();

  /** Completes on the first successful connect; retries in the background until then. */
  public Future<Void> start() {
    connectOnce();
    return firstConnect.future();
  }

  public boolean isConnected() {
    return connected;
  }

  /**
   * Publishes; at QoS 1 and 2 the future completes when the broker has acknowledged the message (Vert.x's own
   * future completes when it is written, and a session closed before the PUBACK loses it, or fires its will).
   */
  public Future<Integer> publish(String topic, Buffer payload, int qos, boolean retain) {
    if (!connected) {
      return Future.failedFuture(new IllegalStateException("not connected to the MQTT broker"));
    }
    MqttClient c = client;
    Map<Integer, Promise<Integer>> acks = unacked;
    return c.publish(topic, payload, MqttQoS.valueOf(qos), false, retain).compose(id -> {
      if (qos == 0) {
        return Future.succeededFuture(id);
      }
      if (earlyAcks.remove(id)) {
        return Future.succeededFuture(id);
      }
      Promise<Integer> acked = Promise.promise();
      acks.put(id, acked);
      // A broker that takes a publish and never acknowledges it (it refused it silently) must not hold up whoever waits
      // for it (a job stopping, say): bounded, and then it fails like a lost one.
      return acked.future().timeout(PUBACK_WAIT_S, java.util.concurrent.TimeUnit.SECONDS)
          .onFailure(err -> acks.remove(id, acked));
    });
  }

  public Future<Integer> publish(String topic, String payload, int qos, boolean retain) {
    return publish(topic, Buffer.buffer(payload), qos, retain);
  }

  /**
   * Clean disconnect (no will), after what is in flight is acknowledged (bounded). A connect under way is not left
   * behind: once the broker accepts it, it leaves at once (a session left open would hold the client ID, and its will
   * would say {@code lost} whenever it died, long after the job it stood for had stopped).
   */
  public Future<Void> close() {
    closing = true;
    firstConnect.tryFail(new IllegalStateException("closed before it connected to the MQTT broker"));
    if (client != null && connected) {
      MqttClient c = client;
      List<Future<Integer>> inFlight = unacked.values().stream().map(Promise::future).toList();
      return Future.join(inFlight).timeout(2, java.util.concurrent.TimeUnit.SECONDS).transform(ar -> {
        connected = false;
        return c.disconnect().timeout(2, java.util.concurrent.TimeUnit.SECONDS).recover(err -> Future.succeededFuture());
      });
    }
    return attemptSettled;
  }

  private void connectOnce() {
    if (closing) {
      return;
    }
    MqttClientOptions options = new MqttClientOptions()
        .setClientId(clientId)
        .setCleanSession(true)
        .setKeepAliveInterval(settings.keepAliveSeconds())
        .setAutoKeepAlive(true)
        .setMaxInflightQueue(10_000)
        .setMaxMessageSize(1024 * 1024);
    options.setReconnectAttempts(0);
    options.setTcpNoDelay(true);
    options.setConnectTimeout(5_000);
    if (settings.username() != null) {
      options.setUsername(settings.username()).setPassword(settings.password());
    }
    if (will != null) {
      options.setWillFlag(true).setWillTopic(will.topic()).setWillMessageBytes(Buffer.buffer(will.payload()))
          .setWillQoS(1).setWillRetain(true);
    }
    MqttClient c = MqttClient.create(vertx, options);
    client = c;
    Map<Integer, Promise<Integer>> acks = new java.util.HashMap<>();
    unacked = acks;
    c.publishCompletionHandler(id -> {
      Promise<Integer> p = acks.remove(id);
      if (p != null) {
        p.tryComplete(id);
      } else if (acks == unacked) {
        earlyAcks.add(id);
      }
    });
    c.publishCompletionExpirationHandler(id -> {
      Promise<Integer> p = acks.remove(id);
      if (p != null) {
        p.tryFail(new IllegalStateException("the broker did not acknowledge message " + id));
      }
    });
    // SUBACKs by packet id: the hook runs once the broker has the subscriptions, not when the SUBSCRIBE was written,
    // so nothing the hook's publications provoke (a leader's command in answer to "ready") can arrive unheard.
    Map<Integer, Promise<Void>> sessionSubacks = new java.util.HashMap<>();
    this.subacks = sessionSubacks;
    c.subscribeCompletionHandler(ack -> {
      if (ack.grantedQoSLevels().contains(0x80)) {
        // The broker refused a filter (its ACL): say so; the rest of the session goes on.
        LOG.warn("the MQTT broker refused a subscription of {} (granted {})", clientId, ack.grantedQoSLevels());
      }
      sessionSubacks.computeIfAbsent(ack.messageId(), k -> Promise.promise()).tryComplete();
    });
    c.publishHandler(msg -> {
      try {
        boolean underTemporary = false;
        for (var t : temporary.entrySet()) {
          if (io.pioreactor.protocol.Topic.matches(t.getKey(), msg.topicName())) {
            if (msg.isRetain()) {
              t.getValue().handle(msg);
              return;
            }
            underTemporary = true;
            break;
          }
        }
        // A live message under a temporary filter that overlaps a lasting one comes once per matching subscription:
        // the second copy (same topic, same payload) is dropped while the temporary one lasts.
        if (underTemporary && !firstCopy(msg)) {
          return;
        }
        messageHandler.handle(msg);
      } catch (RuntimeException e) {
        // A bad message must never take the daemon down.
        LOG.warn("ignored message on {}: {}", msg.topicName(), e.toString());
      }
    });
    c.closeHandler(v -> {
      if (client != c) {
        return;
      }
      boolean was = connected;
      connected = false;
      // What was not acknowledged is not known to be stored: tell the publishers.
      // A copy: a failed publish takes itself out of the map (its timeout's handler), which must not break this loop.
      List<Promise<Integer>> lost = List.copyOf(acks.values());
      acks.clear();
      lost.forEach(p -> p.tryFail(new IllegalStateException("connection to the MQTT broker lost before acknowledgement")));
      earlyAcks.clear();
      if (!closing) {
        if (was) {
          LOG.warn("lost the MQTT broker at {}:{}; reconnecting", settings.host(), settings.port());
          onDisconnected.run();
        }
        scheduleReconnect();
      }
    });
    Promise<Void> settled = Promise.promise();
    attemptSettled = settled.future();
    c.connect(settings.port(), settings.host())
        .compose(ack -> {
          if (closing) {
            // close() came while this connect was under way: leave cleanly (no will), and hook nothing.
            return c.disconnect().otherwiseEmpty().eventually(() -> {
              settled.tryComplete();
              return Future.succeededFuture();
            }).compose(x -> Future.failedFuture(new IllegalStateException("closed while connecting")));
          }
          connected = true;
          settled.tryComplete();
          failures = 0;
          backoffMs = MIN_BACKOFF_MS;
          LOG.info("connected to MQTT broker {}:{} as {}", settings.host(), settings.port(), clientId);
          if (subscriptions.isEmpty()) {
            return Future.succeededFuture();
          }
          return c.subscribe(new LinkedHashMap<>(subscriptions))
              .compose(id -> sessionSubacks.computeIfAbsent(id, k -> Promise.promise()).future()
                  .onComplete(done -> sessionSubacks.remove(id))
                  .timeout(SUBACK_WAIT_S, java.util.concurrent.TimeUnit.SECONDS)
                  .recover(err -> {
                    LOG.warn("no SUBACK from the MQTT broker within {} s; going on", SUBACK_WAIT_S);
                    return Future.succeededFuture();
                  }));
        })
        .compose(v -> onConnected.get())
        .onSuccess(v -> firstConnect.tryComplete())
        .onFailure(err -> {
          settled.tryComplete();
          if (closing) {
            return;
          }
          failures++;
          // Once, then every 30th try: a leader that is down for an hour should not fill the disk.
          if (failures == 1 || failures % 30 == 0) {
            LOG.warn("MQTT connect to {}:{} failed ({} tries so far): {}; retrying every {} s at most", settings.host(),
                settings.port(), failures, err.getMessage(), MAX_BACKOFF_MS / 1000);
          }
          if (connected) {
            // connected, but the hook failed: drop and retry so the hook runs again.
            c.disconnect();
          } else {
            scheduleReconnect();
          }
        });
  }

  private void scheduleReconnect() {
    if (closing) {
      return;
    }
    long delay = backoffMs;
    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    vertx.setTimer(delay, id -> connectOnce());
  }
}
