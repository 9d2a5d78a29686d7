package io.pioreactor.leader.broker;

import io.vertx.core.json.JsonArray;
import io.pioreactor.protocol.ConfigValues;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;

/**
 * The embedded broker's {@code broker} block (docs/config.md). The broker always checks who connects: the leader
 * with an in-process credential, units and the web user with a mosquitto-format {@code password_file} (one file
 * serves either broker), anonymous clients only when {@code anonymous_read} (default: when there is no password
 * file) and then only to read. {@code unit_*}: what one unit may send, so no unit can exhaust the broker.
 */
public record BrokerSettings(String host, int port, int wsPort, Path dataDir, boolean persistence,
                             Path passwordFile, List<String> adminUsers, int maxPayloadBytes, boolean anonymousRead,
                             int unitPublishRate, int unitPublishBurst, int unitRetainedTopics, int maxConnections,
                             int newTopicRate, int newTopicBurst) {

  /** The leader's broker user, here and in conf/mosquitto: a name no unit can have (unit names have no dot). */
  public static final String LEADER_USER = "pioreactor.leader";
  /** The browsers' read-only broker user that install-leader and the demo create. */
  public static final String WEB_USER = "pioreactor.web";

  public static BrokerSettings fromJson(JsonObject o, Path defaultDataDir) {
    JsonObject c = o == null ? new JsonObject() : o;
    int port = port(c, "port", 1883);
    int wsPort = port(c, "ws_port", 9001);
    if (port != 0 && port == wsPort) {
      throw new IllegalArgumentException("broker.port and broker.ws_port must differ");
    }
    int maxPayload = ConfigValues.wholeNumber(c, "broker", "max_payload_bytes", 256 * 1024, 1024, 256 * 1024 * 1024);
    String dataDir = c.getString("data_dir");
    String passwordFile = c.getString("password_file");
    JsonArray admins = c.getJsonArray("admin_users", new JsonArray().add(LEADER_USER));
    return new BrokerSettings(
        c.getString("host", "0.0.0.0"),
        port,
        wsPort,
        dataDir == null ? defaultDataDir : Path.of(dataDir),
        c.getBoolean("persistence", true),
        passwordFile == null ? null : Path.of(passwordFile),
        admins.stream().map(String::valueOf).toList(),
        maxPayload,
        c.getBoolean("anonymous_read", passwordFile == null),
        ConfigValues.wholeNumber(c, "broker", "unit_publish_rate", 200, 1, 100_000),
        ConfigValues.wholeNumber(c, "broker", "unit_publish_burst", 2_000, 1, 1_000_000),
        ConfigValues.wholeNumber(c, "broker", "unit_retained_topics", 500, 10, 100_000),
        ConfigValues.wholeNumber(c, "broker", "max_connections", 4_096, 8, 100_000),
        ConfigValues.wholeNumber(c, "broker", "new_topic_rate", 10, 1, 100_000),
        ConfigValues.wholeNumber(c, "broker", "new_topic_burst", 500, 1, 1_000_000));
  }

  private static int port(JsonObject c, String key, int dflt) {
    int p = c.getInteger(key, dflt);
    if (p < 0 || p > 65535) {
      throw new IllegalArgumentException("broker." + key + " must be between 0 and 65535");
    }
    return p;
  }
}
