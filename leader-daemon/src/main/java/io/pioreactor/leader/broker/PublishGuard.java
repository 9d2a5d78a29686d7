package io.pioreactor.leader.broker;

import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.pioreactor.leader.limits.Throttled;
import io.pioreactor.leader.limits.TokenBuckets;
import io.pioreactor.protocol.ClientIds;
import io.pioreactor.protocol.PublishRules;
import io.pioreactor.protocol.Topic;
import io.pioreactor.protocol.Topics;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.WildcardConfiguration;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTInterceptor;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTUtil;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one packet may cost the broker, judged before Artemis sees it. A refused packet closes the client's connection
 * (Artemis's only way to refuse here); it reconnects, and its next packet is judged again. Nothing here binds this
 * leader's own session; {@code admin_users} only by size.
 * <ul>
 *   <li>CONNECT, before the credentials are checked, by the user's name ({@link ClientKind}; a wrong password is
 *       refused by {@link UnitAcl} after): a user name of at most {@link #MAX_USER} characters; a client ID the user
 *       may use ({@link ClientIds}: a unit only its own, nobody but the leader a leader's), so no client takes over
 *       another's session; a clean session (a kept one holds messages for an absent client); and a last will only on
 *       the unit's own {@code $state} topics, since Artemis publishes a will on its own behalf, past every ACL;</li>
 *   <li>PUBLISH: at most {@code broker.max_payload_bytes} (Artemis's own limit applies only to MQTT 5 clients); readers
 *       (the web user, anonymous clients) publish nothing; topics of at most {@link #MAX_TOPIC} characters; a unit at
 *       most {@code unit_publish_rate} messages a second (bursts of {@code unit_publish_burst}); new topics at most
 *       {@code new_topic_rate} a second per user (bursts of {@code new_topic_burst}): each costs Artemis an address and
 *       its paging store, about 12 KB, until it is reaped; at most {@code broker.unit_retained_topics} distinct
 *       retained topics per unit, each a queue kept for good (retained wills count too);</li>
 *   <li>SUBSCRIBE: at most {@link #MAX_FILTERS_PER_SUBSCRIBE} filters at once, each at most {@link #MAX_TOPIC}
 *       characters, and {@link #MAX_SUBSCRIPTIONS} per connection: each is a queue.</li>
 * </ul>
 */
final class PublishGuard implements MQTTInterceptor {
  private static final Logger LOG = LoggerFactory.getLogger(PublishGuard.class);
  private static final WildcardConfiguration WILDCARDS = new WildcardConfiguration();
  static final int MAX_USER = 64;
  static final int MAX_TOPIC = 256;
  static final int MAX_SUBSCRIPTIONS = 256;
  /**
   * The signed-in read-only users (browsers): upstream's Pioreactors page holds about 54 filters per unit on one
   * connection, so 4,096 serve a lab of 75 units. Anonymous readers and units keep {@link #MAX_SUBSCRIPTIONS}.
   */
  static final int MAX_SUBSCRIPTIONS_SIGNED_IN_READER = 4_096;
  /**
   * As many as a connection may hold: a smaller cap per packet bounds nothing (the same filters come in a few
   * packets), and upstream's web app subscribes to a unit's card, about 50 filters, in one SUBSCRIBE.
   */
  static final int MAX_FILTERS_PER_SUBSCRIBE = MAX_SUBSCRIPTIONS;

  private final int maxBytes;
  private final int maxRetainedPerUnit;
  private final List<String> adminUsers;
  private final TokenBuckets topicCreations;
  private final TokenBuckets unitPublishes;
  private final String unitRateLimit;
  private final String newTopicLimit;
  private final Map<String, Set<String>> retainedByUnit = new ConcurrentHashMap<>();
  /** Filters each connection holds (a count): gone with the connection. */
  private final Map<RemotingConnection, int[]> subscriptions = Collections.synchronizedMap(new WeakHashMap<>());
  private final Throttled tooBig = new Throttled(LOG, "publishes refused for their size:");
  private final Throttled tooMany = new Throttled(LOG, "retained publishes refused: too many retained topics;");
  private final Throttled refusedConnect = new Throttled(LOG, "connections refused:");
  private final Throttled readerPublishes = new Throttled(LOG, "connections closed for publishing (readers publish nothing):");
  private final Throttled newTopics = new Throttled(LOG, "connections closed for making new topics too fast (each costs the broker memory):");
  private final Throttled overRate = new Throttled(LOG, "connections closed for publishing faster than a unit's limit:");
  private final Throttled badSubscribe = new Throttled(LOG, "connections closed for their subscriptions:");
  private volatile ActiveMQServer server;

  PublishGuard(BrokerSettings settings) {
    this.maxBytes = settings.maxPayloadBytes();
    this.maxRetainedPerUnit = settings.unitRetainedTopics();
    this.adminUsers = settings.adminUsers();
    this.topicCreations = new TokenBuckets(settings.newTopicRate(), settings.newTopicBurst(), 10_000);
    this.newTopicLimit = "limit " + settings.newTopicRate() + " new topics a second, bursts of " + settings.newTopicBurst();
    this.unitPublishes = new TokenBuckets(settings.unitPublishRate(), settings.unitPublishBurst(), 10_000);
    this.unitRateLimit = "limit " + settings.unitPublishRate() + " a second, bursts of " + settings.unitPublishBurst();
  }

  /** The running broker, to tell a new topic from one it has an address for. */
  void server(ActiveMQServer s) {
    this.server = s;
  }

  /** The retained topics the broker already holds (kept across restarts): counted before anyone publishes. */
  void count(Set<SimpleString> addresses) {
    for (SimpleString a : addresses) {
      String address = a.toString();
      if (address.startsWith(MQTTUtil.MQTT_RETAIN_ADDRESS_PREFIX)) {
        String topic = MQTTUtil.getMqttTopicFromCoreAddress(address, WILDCARDS);
        Topic.parse(topic).ifPresent(t -> retainedOf(t.unit()).add(topic));
      }
    }
  }

  @Override
  public boolean intercept(MqttMessage packet, RemotingConnection connection) {
    return switch (packet.fixedHeader().messageType()) {
      case CONNECT -> connectAllowed((MqttConnectMessage) packet, connection);
      case PUBLISH -> publishAllowed((MqttPublishMessage) packet, connection);
      case SUBSCRIBE -> subscribeAllowed((MqttSubscribeMessage) packet, connection);
      case UNSUBSCRIBE -> unsubscribed((MqttUnsubscribeMessage) packet, connection);
      default -> true;
    };
  }

  private boolean connectAllowed(MqttConnectMessage connect, RemotingConnection connection) {
    String user = connect.payload().userName();
    String who = user == null ? "anonymous" : "user " + user;
    if (user != null && user.length() > MAX_USER) {
      return refuse(connection, who, "a user name has at most " + MAX_USER + " characters");
    }
    ClientKind kind = ClientKind.byName(user, adminUsers);
    String clientId = connect.payload().clientIdentifier();
    var badId = ClientIds.refusal(user, kind.privileged(), kind == ClientKind.UNIT, clientId);
    if (badId.isPresent()) {
      return refuse(connection, who, "client ID '" + clientId + "': " + badId.get());
    }
    if (kind.privileged()) {
      return true;
    }
    if (!connect.variableHeader().isCleanSession()) {
      return refuse(connection, who, "only the leader keeps a session: connect with a clean session");
    }
    if (!connect.variableHeader().isWillFlag()) {
      return true;
    }
    String topic = connect.payload().willTopic();
    if (kind != ClientKind.UNIT || !PublishRules.unitMayPublish(user, topic) || !isState(topic)) {
      return refuse(connection, who, "a last will only on the unit's own $state topics, not " + topic);
    }
    byte[] will = connect.payload().willMessageInBytes();
    if (will != null && will.length > maxBytes) {
      return refuse(connection, who, "a last will of " + will.length + " bytes; limit " + maxBytes);
    }
    if (connect.variableHeader().isWillRetain() && (!newTopicAllowed(user, topic) || !retainedAllowed(user, topic))) {
      return false; // said by the checks
    }
    return true;
  }

  private static boolean isState(String topic) {
    return Topic.parse(topic).map(t -> t.rest().size() == 2 && Topics.STATE.equals(t.rest().get(1))).orElse(false);
  }

  private boolean publishAllowed(MqttPublishMessage publish, RemotingConnection connection) {
    int size = publish.payload().readableBytes();
    if (size > maxBytes) {
      tooBig.refused(String.valueOf(connection.getRemoteAddress()), "latest " + size + " bytes; limit " + maxBytes);
      return false;
    }
    ClientKind kind = ClientKind.of(connection.getSubject());
    String topic = publish.variableHeader().topicName();
    boolean retained = publish.fixedHeader().isRetain();
    if (retained && size == 0) {
      Topic.parse(topic).ifPresent(t -> retainedOf(t.unit()).remove(topic)); // a clear, by whoever may send it
    }
    if (kind == null || kind == ClientKind.LEADER) {
      return true; // before authentication Artemis refuses anyway; the leader's topics are bounded by its inventory
    }
    if (kind == ClientKind.READER) {
      readerPublishes.refused(String.valueOf(connection.getRemoteAddress()), "latest " + topic);
      return false;
    }
    String user = UnitAcl.userOf(connection.getSubject());
    if (topic.length() > MAX_TOPIC) {
      tooBig.refused(user, "a topic of " + topic.length() + " characters; limit " + MAX_TOPIC);
      return false;
    }
    if (kind == ClientKind.UNIT && !unitPublishes.tryTake(user)) {
      overRate.refused(user, unitRateLimit);
      return false;
    }
    if (!newTopicAllowed(user, topic)) {
      return false;
    }
    // A unit's retained topics are counted only where it may publish (its own): anything else UnitAcl refuses anyway.
    return !retained || size == 0 || kind != ClientKind.UNIT || !PublishRules.unitMayPublish(user, topic)
        || retainedAllowed(user, topic);
  }

  private boolean newTopicAllowed(String user, String topic) {
    if (isNew(topic) && !topicCreations.tryTake(user)) {
      newTopics.refused(user, newTopicLimit + "; latest " + topic);
      return false;
    }
    return true;
  }

  /** Counts a retained topic of {@code unit} (a unit publishing under its own name), or refuses one past the bound. */
  private boolean retainedAllowed(String unit, String topic) {
    Set<String> held = retainedOf(unit);
    synchronized (held) {
      if (held.contains(topic) || held.size() < maxRetainedPerUnit) {
        held.add(topic);
        return true;
      }
    }
    tooMany.refused("unit " + unit, "limit " + maxRetainedPerUnit + "; latest " + topic + "; clear old ones by publishing"
        + " an empty retained message");
    return false;
  }

  private Set<String> retainedOf(String unit) {
    return retainedByUnit.computeIfAbsent(unit, u -> ConcurrentHashMap.newKeySet());
  }

  private boolean isNew(String topic) {
    var s = server;
    return s != null && topic != null
        && s.getAddressInfo(SimpleString.of(MQTTUtil.getCoreAddressFromMqttTopic(topic, WILDCARDS))) == null;
  }

  private boolean subscribeAllowed(MqttSubscribeMessage subscribe, RemotingConnection connection) {
    ClientKind kind = ClientKind.of(connection.getSubject());
    if (kind == null || kind.privileged()) {
      return true;
    }
    List<MqttTopicSubscription> filters = subscribe.payload().topicSubscriptions();
    String who = UnitAcl.userOf(connection.getSubject());
    String key = who.isEmpty() ? String.valueOf(connection.getRemoteAddress()) : who;
    if (filters.size() > MAX_FILTERS_PER_SUBSCRIBE) {
      badSubscribe.refused(key, filters.size() + " filters in one SUBSCRIBE; limit " + MAX_FILTERS_PER_SUBSCRIBE);
      return false;
    }
    for (MqttTopicSubscription f : filters) {
      if (f.topicFilter().length() > MAX_TOPIC) {
        badSubscribe.refused(key, "a filter of " + f.topicFilter().length() + " characters; limit " + MAX_TOPIC);
        return false;
      }
    }
    synchronized (subscriptions) {
      int[] held = subscriptions.computeIfAbsent(connection, c -> new int[1]);
      int limit = kind == ClientKind.READER && !who.isEmpty() ? MAX_SUBSCRIPTIONS_SIGNED_IN_READER : MAX_SUBSCRIPTIONS;
      if (held[0] + filters.size() > limit) {
        badSubscribe.refused(key, "more than " + limit + " subscriptions on one connection");
        return false;
      }
      held[0] += filters.size();
    }
    return true;
  }

  private boolean unsubscribed(MqttUnsubscribeMessage unsubscribe, RemotingConnection connection) {
    synchronized (subscriptions) {
      int[] held = subscriptions.get(connection);
      if (held != null) {
        held[0] = Math.max(0, held[0] - unsubscribe.payload().topics().size());
      }
    }
    return true;
  }

  private boolean refuse(RemotingConnection connection, String who, String why) {
    refusedConnect.refused(who + " from " + connection.getRemoteAddress(), why);
    return false;
  }
}
