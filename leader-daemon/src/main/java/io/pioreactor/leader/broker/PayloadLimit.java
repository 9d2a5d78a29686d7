package io.pioreactor.leader.broker;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.activemq.artemis.core.protocol.mqtt.MQTTInterceptor;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops publishes larger than {@code broker.max_payload_bytes}, as mosquitto's {@code message_size_limit}
 * does for MQTT 3.1.1: Artemis's own packet limit applies only to MQTT 5 clients.
 */
final class PayloadLimit implements MQTTInterceptor {
  private static final Logger LOG = LoggerFactory.getLogger(PayloadLimit.class);

  private final int maxBytes;
  private final Set<Object> warned = ConcurrentHashMap.newKeySet();

  PayloadLimit(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public boolean intercept(MqttMessage packet, RemotingConnection connection) {
    if (packet.fixedHeader().messageType() != MqttMessageType.PUBLISH) {
      return true;
    }
    int size = ((MqttPublishMessage) packet).payload().readableBytes();
    if (size <= maxBytes) {
      return true;
    }
    if (warned.add(connection.getID())) {
      LOG.warn("dropped a {}-byte publish from {} (limit {} bytes)", size, connection.getRemoteAddress(), maxBytes);
    }
    return false;
  }
}
