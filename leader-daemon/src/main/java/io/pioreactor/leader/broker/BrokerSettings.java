package io.pioreactor.leader.broker;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;

/**
 * The embedded broker's {@code broker} block (docs/config.md). Authentication is on exactly when a
 * mosquitto-format {@code password_file} is given, so one file serves either broker.
 */
public record BrokerSettings(String host, int port, int wsPort, Path dataDir, boolean persistence,
                             Path passwordFile, List<String> adminUsers, int maxPayloadBytes) {

  public static BrokerSettings fromJson(JsonObject o, Path defaultDataDir) {
    JsonObject c = o == null ? new JsonObject() : o;
    int port = port(c, "port", 1883);
    int wsPort = port(c, "ws_port", 9001);
    if (port != 0 && port == wsPort) {
      throw new IllegalArgumentException("broker.port and broker.ws_port must differ");
    }
    int maxPayload = c.getInteger("max_payload_bytes", 1024 * 1024);
    if (maxPayload < 1024 || maxPayload > 256 * 1024 * 1024) {
      throw new IllegalArgumentException("broker.max_payload_bytes must be between 1024 and 268435456");
    }
    String dataDir = c.getString("data_dir");
    String passwordFile = c.getString("password_file");
    JsonArray admins = c.getJsonArray("admin_users", new JsonArray().add("leader"));
    return new BrokerSettings(
        c.getString("host", "0.0.0.0"),
        port,
        wsPort,
        dataDir == null ? defaultDataDir : Path.of(dataDir),
        c.getBoolean("persistence", true),
        passwordFile == null ? null : Path.of(passwordFile),
        admins.stream().map(String::valueOf).toList(),
        maxPayload);
  }

  private static int port(JsonObject c, String key, int dflt) {
    int p = c.getInteger(key, dflt);
    if (p < 0 || p > 65535) {
      throw new IllegalArgumentException("broker." + key + " must be between 0 and 65535");
    }
    return p;
  }

  public boolean authenticationOn() {
    return passwordFile != null;
  }
}
