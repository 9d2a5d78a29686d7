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
 * What one publish may cost the broker, judged before Artemis sees it: at most {@code broker.max_payload_bytes}
 * (mosquitto's {@code message_size_limit}; Artemis's own limit applies only to MQTT 5 clients), and at most
 * {@code broker.unit_retained_topics} distinct retained topics per unit, because each one is a queue the broker keeps
 * for good. A refused packet closes the client's connection (Artemis's only way to refuse here); it reconnects.
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

  PublishGuard(int maxBytes, int maxRetainedPerUnit, java.util.List<String> adminUsers) {
    this.maxBytes = maxBytes;
    this.maxRetainedPerUnit = maxRetainedPerUnit;
    this.adminUsers = adminUsers;
  }

  /**
   * Artemis publishes a last will on the broker's own behalf, past every ACL: so a will is judged when the client
   * connects, by the rules its publishes would meet. (Credentials are checked after this, by {@link UnitAcl}.)
   */
  private boolean willAllowed(MqttConnectMessage connect, RemotingConnection connection) {
    if (!connect.variableHeader().isWillFlag()) {
      return true;
    }
    String user = connect.payload().userName();
    String topic = connect.payload().willTopic();
    boolean ok = user != null && (user.equals(BrokerSettings.LEADER_USER) || adminUsers.contains(user)
        || (io.pioreactor.protocol.Names.unitNameProblem(user).isEmpty() && io.pioreactor.protocol.PublishRules.unitMayPublish(user, topic)));
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

  @Override
  public boolean intercept(MqttMessage packet, RemotingConnection connection) {
    if (packet.fixedHeader().messageType() == MqttMessageType.CONNECT) {
      return willAllowed((MqttConnectMessage) packet, connection);
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
    if (!packet.fixedHeader().isRetain() || UnitAcl.kindOf(connection.getSubject()) != UnitAcl.Kind.UNIT) {
      return true; // the leader's retained state is bounded by the inventory; readers may publish nothing anyway
    }
    String topic = publish.variableHeader().topicName();
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
