package io.pioreactor.leader.config;

import io.pioreactor.leader.broker.BrokerSettings;
import io.pioreactor.leader.database.BackupSettings;
import io.pioreactor.leader.health.HealthThresholds;
import io.pioreactor.protocol.Names;
import io.pioreactor.protocol.mqtt.MqttSettings;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The leader's configuration, read once from its JSON file (docs/config.md) and handed to the parts
 * that need it. {@code mqtt.host} absent means: start the embedded broker and connect to it.
 */
public record LeaderConfig(
    String unit,
    boolean leaderIsWorker,
    String httpHost,
    int httpPort,
    JsonObject httpAuth,
    boolean embeddedBroker,
    MqttSettings mqtt,
    BrokerSettings broker,
    Path databasePath,
    Duration addTimeout,
    String defaultModelName,
    String defaultModelVersion,
    boolean mdns,
    String mdnsAddress,
    java.util.Map<String, String> addresses,
    int externalWsPort,
    JsonObject webMqtt,
    StorageLimits storage,
    long maxImportBytes,
    BackupSettings backups,
    HealthThresholds health,
    io.pioreactor.leader.clocks.ClockSettings clocks) {

  public static LeaderConfig fromJson(JsonObject json, String hostname) {
    String unit = json.getString("unit", hostname);
    Names.unitNameProblem(unit).ifPresent(p -> {
      throw new IllegalArgumentException("unit '" + unit + "': " + p);
    });
    JsonObject http = json.getJsonObject("http", new JsonObject());
    JsonObject mqttBlock = json.getJsonObject("mqtt", new JsonObject());
    JsonObject db = json.getJsonObject("database", new JsonObject());
    Path dbPath = Path.of(db.getString("path", "pioreactor.sqlite")).toAbsolutePath();
    Path dbDir = dbPath.getParent();
    BrokerSettings broker = BrokerSettings.fromJson(json.getJsonObject("broker", new JsonObject()), dbDir.resolve("broker"));
    boolean embedded = mqttBlock.getString("host") == null;
    MqttSettings mqtt = MqttSettings.fromJson(mqttBlock);
    if (embedded) {
      mqtt = mqtt.withHostPort("127.0.0.1", broker.port());
    }
    int httpPort = http.getInteger("port", 8080);
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("http.port must be between 0 and 65535");
    }
    JsonObject auth = http.getJsonObject("auth");
    if (auth != null && auth.getString("username") != null) {
      String password = auth.getString("password");
      if (password == null || password.length() < 8) {
        throw new IllegalArgumentException("http.auth.password must have at least 8 characters");
      }
    }
    int addTimeout = json.getInteger("add_timeout_seconds", 10);
    if (addTimeout < 1 || addTimeout > 300) {
      throw new IllegalArgumentException("add_timeout_seconds must be between 1 and 300");
    }
    JsonObject model = json.getJsonObject("default_model", new JsonObject());
    if (!io.pioreactor.leader.upstream.Models.known(model.getString("name", "pioreactor_40ml"), model.getString("version", "1.5"))) {
      throw new IllegalArgumentException("default_model must be one of: " + io.pioreactor.leader.upstream.Models.names());
    }
    JsonObject discovery = json.getJsonObject("discovery", new JsonObject());
    String mdnsAddress = discovery.getString("address");
    if (mdnsAddress != null && !Names.isIpv4(mdnsAddress)) {
      throw new IllegalArgumentException("discovery.address must be this machine's IPv4 address, e.g. 192.168.1.10");
    }
    var clocks = io.pioreactor.leader.clocks.ClockSettings.fromJson(json.getJsonObject("clocks"));
    JsonObject web = webMqtt(json.getJsonObject("web_mqtt", new JsonObject()));
    String webUser = web.getString("username");
    if (webUser != null && (webUser.equals(BrokerSettings.LEADER_USER) || broker.adminUsers().contains(webUser)
        || webUser.equals(mqtt.username()))) {
      throw new IllegalArgumentException("web_mqtt.username must be a read-only broker user (" + BrokerSettings.WEB_USER
          + "), never the leader's: browsers are handed it");
    }
    return new LeaderConfig(
        unit,
        json.getBoolean("leader_is_worker", true),
        http.getString("host", "0.0.0.0"),
        httpPort,
        auth,
        embedded,
        mqtt,
        broker,
        dbPath,
        Duration.ofSeconds(addTimeout),
        model.getString("name", "pioreactor_40ml"),
        model.getString("version", "1.5"),
        discovery.getBoolean("enabled", true),
        mdnsAddress,
        addresses(json.getJsonObject("addresses", new JsonObject())),
        wsPort(mqttBlock),
        web,
        StorageLimits.fromJson(json.getJsonObject("storage")),
        maxImport(http),
        BackupSettings.fromJson(db.getJsonObject("backups"), dbPath),
        HealthThresholds.fromJson(json.getJsonObject("health"), clocks.maxOffsetMs() / 1000),
        clocks);
  }

  /** {@code http.max_import_mb}: the largest leader snapshot {@code POST /api/leader/import} takes (default 2048 MB). */
  private static long maxImport(JsonObject http) {
    Object v = http.getValue("max_import_mb", 2048);
    if (!(v instanceof Integer mb) || mb < 1 || mb > 1_000_000) {
      throw new IllegalArgumentException("http.max_import_mb must be a whole number of megabytes, at least 1");
    }
    return mb * 1024L * 1024L;
  }

  /** {@code mqtt.ws_port}: an external broker's WebSocket listener, for browsers (default 9001, as upstream). */
  private static int wsPort(JsonObject mqtt) {
    int p = mqtt.getInteger("ws_port", 9001);
    if (p < 1 || p > 65535) {
      throw new IllegalArgumentException("mqtt.ws_port must be between 1 and 65535");
    }
    return p;
  }

  /**
   * {@code web_mqtt}: what browsers are told in the shared config ({@code GET /api/config/shared}):
   * {@code username}, {@code password} (default: the leader's own MQTT credentials) and {@code address}
   * (default: the address the browser reached the leader at).
   */
  private static JsonObject webMqtt(JsonObject o) {
    Object protocol = o.getValue("ws_protocol");
    if (protocol != null && !"ws".equals(protocol) && !"wss".equals(protocol)) {
      throw new IllegalArgumentException("web_mqtt.ws_protocol must be ws or wss (wss behind a TLS proxy, docs/security.md)");
    }
    Object port = o.getValue("ws_port");
    if (port != null && !(port instanceof Integer p && p >= 1 && p <= 65535)) {
      throw new IllegalArgumentException("web_mqtt.ws_port must be a port number (a TLS proxy's, say)");
    }
    for (String key : new String[] {"username", "password", "address"}) {
      Object v = o.getValue(key);
      if (v != null && (!(v instanceof String s) || s.contains("\n") || s.contains("\r"))) {
        throw new IllegalArgumentException("web_mqtt." + key + " must be one line of text");
      }
    }
    return o.copy();
  }

  /** {@code addresses}: known workers' IPv4 by name (upstream's {@code [cluster.addresses]}), tried before mDNS. */
  private static java.util.Map<String, String> addresses(JsonObject o) {
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    for (String unit : o.fieldNames()) {
      Object ip = o.getValue(unit);
      Names.unitNameProblem(unit).ifPresent(p -> {
        throw new IllegalArgumentException("addresses: '" + unit + "' is not a worker name: " + p);
      });
      if (!(ip instanceof String s) || !Names.isIpv4(s)) {
        throw new IllegalArgumentException("addresses." + unit + " must be an IPv4 address like 192.168.1.42");
      }
      out.put(unit, s);
    }
    return java.util.Map.copyOf(out);
  }
}
