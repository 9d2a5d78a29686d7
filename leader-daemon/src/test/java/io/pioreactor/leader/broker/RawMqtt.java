package io.pioreactor.leader.broker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-built MQTT 3.1.1 packets, for what a well-behaved client library will not send. */
final class RawMqtt {
  private RawMqtt() {}

  /** CONNECT with clean session, as the tests' admin user; a will when {@code willTopic} is not null. */
  static byte[] connect(String clientId, int keepAlive, String willTopic, String willMessage) {
    return connect(clientId, keepAlive, willTopic, willMessage, BrokerUnderTest.ADMIN[0], BrokerUnderTest.ADMIN[1]);
  }

  /** CONNECT with clean session; a will when {@code willTopic} is not null; no credentials when {@code user} is null. */
  static byte[] connect(String clientId, int keepAlive, String willTopic, String willMessage, String user, String password) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    string(body, "MQTT");
    body.write(4);
    int flags = 0x02;
    if (willTopic != null) {
      flags |= 0x04 | 0x08; // will, QoS 1
    }
    if (user != null) {
      flags |= 0x80 | 0x40;
    }
    body.write(flags);
    body.write(keepAlive >> 8);
    body.write(keepAlive & 0xff);
    string(body, clientId);
    if (willTopic != null) {
      string(body, willTopic);
      string(body, willMessage);
    }
    if (user != null) {
      string(body, user);
      string(body, password);
    }
    return packet(0x10, body.toByteArray());
  }

  static byte[] packet(int type, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(type);
    int len = body.length;
    do {
      int digit = len % 128;
      len /= 128;
      out.write(len > 0 ? digit | 0x80 : digit);
    } while (len > 0);
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static void string(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.write(b.length >> 8);
    out.write(b.length & 0xff);
    out.writeBytes(b);
  }
}
