package io.pioreactor.leader.broker;

import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.pioreactor.leader.limits.Throttled;
import io.pioreactor.protocol.Topic;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.WildcardConfiguration;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTInterceptor;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTUtil;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one publish may cost the broker, judged before Artemis sees it. A refused packet closes the client's connection
 * (Artemis's only way to refuse here); it reconnects, and its next publish is judged again.
 * <ul>
 *   <li>at most {@code broker.max_payload_bytes} (mosquitto's {@code message_size_limit}; Artemis's own limit applies
 *       only to MQTT 5 clients);</li>
 *   <li>readers (the web user, anonymous clients) publish nothing at all;</li>
 *   <li>a unit at most {@code unit_publish_rate} messages a second (bursts of {@code unit_publish_burst});</li>
 *   <li>new topics at most {@code new_topic_rate} a second per user (bursts of {@code new_topic_burst}), but for this
 *       leader's own session: each costs Artemis an address and its paging store, about 12 KB, until it is reaped;</li>
 *   <li>at most {@code broker.unit_retained_topics} distinct retained topics per unit: each is a queue kept for good.</li>
 * </ul>
 * At CONNECT, before the credentials are checked: the client ID must be one the user may use ({@link ClientIds}: a unit
 * only its own, nobody but the leader a leader's), so no client takes over another's session; and a last will is
 * judged by the publish rules, since Artemis publishes it past every ACL. Both are judged by the user's name; a wrong
 * password is refused by {@link UnitAcl} after.
 */
final class PublishGuard implements MQTTInterceptor {
  private static final Logger LOG = LoggerFactory.getLogger(PublishGuard.class);
  private static final WildcardConfiguration WILDCARDS = new WildcardConfiguration();

  private final int maxBytes;
  private final int maxRetainedPerUnit;
  private final Map<String, Set<String>> retainedByUnit = new ConcurrentHashMap<>();
  private final Throttled tooBig = new Throttled(LOG, "publishes refused for their size:");
  private final Throttled tooMany = new Throttled(LOG, "retained publishes refused: too many retained topics;");

  private final java.util.List<String> adminUsers;
  private final Throttled badWill = new Throttled(LOG, "connections refused for their last will:");
  private final Throttled badClientId = new Throttled(LOG, "connections refused:");
  private final Throttled readerPublishes = new Throttled(LOG, "connections closed for publishing (readers publish nothing):");
  private final Throttled newTopics = new Throttled(LOG, "connections closed for making new topics too fast (each costs the broker memory):");
  private final io.pioreactor.leader.limits.TokenBuckets topicCreations;
  private final io.pioreactor.leader.limits.TokenBuckets unitPublishes;
  private final String unitRateLimit;
  private final Throttled overRate = new Throttled(LOG, "connections closed for publishing faster than a unit's limit:");
  private final String newTopicLimit;
  private volatile org.apache.activemq.artemis.core.server.ActiveMQServer server;

  PublishGuard(BrokerSettings settings) {
    this.maxBytes = settings.maxPayloadBytes();
    this.maxRetainedPerUnit = settings.unitRetainedTopics();
    this.adminUsers = settings.adminUsers();
    this.topicCreations = new io.pioreactor.leader.limits.TokenBuckets(settings.newTopicRate(), settings.newTopicBurst(), 10_000);
    this.newTopicLimit = "limit " + settings.newTopicRate() + " new topics a second, bursts of " + settings.newTopicBurst();
    this.unitPublishes = new io.pioreactor.leader.limits.TokenBuckets(settings.unitPublishRate(), settings.unitPublishBurst(), 10_000);
    this.unitRateLimit = "limit " + settings.unitPublishRate() + " a second, bursts of " + settings.unitPublishBurst();
  }

  /** The running broker, to tell a new topic from one it has an address for. */
  void server(org.apache.activemq.artemis.core.server.ActiveMQServer s) {
    this.server = s;
  }

  /**
   * Artemis publishes a last will on the broker's own behalf, past every ACL: so a will is judged when the client
   * connects, by the rules its publishes would meet. (Credentials are checked after this, by {@link UnitAcl}.)
   */
  private boolean connectAllowed(MqttConnectMessage connect, RemotingConnection connection) {
    String user = connect.payload().userName();
    boolean admin = user != null && (user.equals(BrokerSettings.LEADER_USER) || adminUsers.contains(user));
    boolean unit = !admin && user != null && io.pioreactor.protocol.Names.unitNameProblem(user).isEmpty();
    String clientId = connect.payload().clientIdentifier();
    var refusal = io.pioreactor.protocol.ClientIds.refusal(user, admin, unit, clientId);
    if (refusal.isPresent()) {
      badClientId.refused("client ID '" + clientId + "'", (user == null ? "anonymous" : "user " + user) + " from "
          + connection.getRemoteAddress() + ": " + refusal.get());
      return false;
    }
    if (!connect.variableHeader().isWillFlag()) {
      return true;
    }
    String topic = connect.payload().willTopic();
    boolean ok = admin || (unit && io.pioreactor.protocol.PublishRules.unitMayPublish(user, topic));
    if (!ok) {
      badWill.refused(String.valueOf(connection.getRemoteAddress()), (user == null ? "anonymous" : "user " + user)
          + " asked for a will on " + topic);
    }
    return ok;
  }

  /** The retained topics the broker already holds (kept across restarts): counted before anyone publishes. */
  void count(Set<SimpleString> addresses) {
    for (SimpleString a : addresses) {
      String address = a.toString();
      if (address.startsWith(MQTTUtil.MQTT_RETAIN_ADDRESS_PREFIX)) {
        String topic = MQTTUtil.getMqttTopicFromCoreAddress(address, WILDCARDS);
        Topic.parse(topic).ifPresent(t -> retainedByUnit.computeIfAbsent(t.unit(), u -> ConcurrentHashMap.newKeySet()).add(topic));
      }
    }
  }

  private boolean isNew(String topic) {
    var s = server;
    return s != null && topic != null
        && s.getAddressInfo(SimpleString.of(MQTTUtil.getCoreAddressFromMqttTopic(topic, WILDCARDS))) == null;
  }

  private static String userOf(RemotingConnection connection) {
    var subject = connection.getSubject();
    return subject == null ? "?" : subject.getPrincipals(org.apache.activemq.artemis.spi.core.security.jaas.UserPrincipal.class)
        .stream().map(java.security.Principal::getName).findFirst().orElse("?");
  }

  @Override
  public boolean intercept(MqttMessage packet, RemotingConnection connection) {
    if (packet.fixedHeader().messageType() == MqttMessageType.CONNECT) {
      return connectAllowed((MqttConnectMessage) packet, connection);
    }
    if (packet.fixedHeader().messageType() != MqttMessageType.PUBLISH) {
      return true;
    }
    MqttPublishMessage publish = (MqttPublishMessage) packet;
    int size = publish.payload().readableBytes();
    if (size > maxBytes) {
      tooBig.refused(String.valueOf(connection.getRemoteAddress()), "latest " + size + " bytes; limit " + maxBytes);
      return false;
    }
    UnitAcl.Kind kind = UnitAcl.kindOf(connection.getSubject());
    String topic = publish.variableHeader().topicName();
    if (kind == null || kind == UnitAcl.Kind.LEADER) {
      return true; // before authentication Artemis refuses anyway; the leader's topics are bounded by its inventory
    }
    if (kind == UnitAcl.Kind.READER) {
      readerPublishes.refused(String.valueOf(connection.getRemoteAddress()), "latest " + topic);
      return false;
    }
    if (kind == UnitAcl.Kind.UNIT && !unitPublishes.tryTake(userOf(connection))) {
      overRate.refused(userOf(connection), unitRateLimit);
      return false;
    }
    if (isNew(topic) && !topicCreations.tryTake(userOf(connection))) {
      newTopics.refused(userOf(connection), newTopicLimit + "; latest " + topic);
      return false;
    }
    if (!packet.fixedHeader().isRetain() || kind != UnitAcl.Kind.UNIT) {
      return true;
    }
    String unit = Topic.parse(topic).map(Topic::unit).orElse("");
    Set<String> held = retainedByUnit.computeIfAbsent(unit, u -> ConcurrentHashMap.newKeySet());
    if (size == 0) {
      held.remove(topic); // cleared
      return true;
    }
    if (held.contains(topic) || held.size() < maxRetainedPerUnit) {
      held.add(topic);
      return true;
    }
    tooMany.refused("unit " + unit, "limit " + maxRetainedPerUnit + "; latest " + topic + "; clear old ones by publishing"
        + " an empty retained message");
    return false;
  }
}
