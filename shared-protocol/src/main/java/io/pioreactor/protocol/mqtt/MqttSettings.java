package io.pioreactor.protocol.mqtt;

import io.vertx.core.json.JsonObject;

/**
 * Where and how a daemon reaches the broker. Read once from the {@code mqtt} block of a daemon's
 * JSON config. The keepalive also bounds how fast a vanished unit shows as {@code lost}
 * (the broker fires its will after 1.5 × keepalive).
 */
public record MqttSettings(String host, int port, String username, String password, int keepAliveSeconds) {

  public static final int DEFAULT_PORT = 1883;
  public static final int DEFAULT_KEEPALIVE = 30;

  public static MqttSettings fromJson(JsonObject o) {
    JsonObject c = o == null ? new JsonObject() : o;
    int keepAlive = c.getInteger("keepalive_seconds", DEFAULT_KEEPALIVE);
    if (keepAlive < 1 || keepAlive > 65535) {
      throw new IllegalArgumentException("mqtt.keepalive_seconds must be between 1 and 65535");
    }
    int port = c.getInteger("port", DEFAULT_PORT);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("mqtt.port must be between 0 and 65535");
    }
    return new MqttSettings(c.getString("host", "localhost"), port, c.getString("username"), c.getString("password"), keepAlive);
  }

  public MqttSettings withHostPort(String newHost, int newPort) {
    return new MqttSettings(newHost, newPort, username, password, keepAliveSeconds);
  }
}
