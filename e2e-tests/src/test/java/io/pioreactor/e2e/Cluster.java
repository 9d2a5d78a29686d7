package io.pioreactor.e2e;

import io.pioreactor.protocol.testing.TestCredentials;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.testing.FreePorts;
import io.pioreactor.protocol.testing.MosquittoBroker;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A leader and workers as separate processes on one machine, against the leader's embedded broker or
 * Debian's mosquitto with the shipped ACL, credentials as installed ({@link TestCredentials}), plus what a test needs
 * to look at them: the REST API, the CLI, the SQLite file and the broker's topics (watched as the browsers' read-only
 * user, as upstream's web app watches them).
 */
public final class Cluster implements AutoCloseable {
  static final int KEEPALIVE_S = 2;
  /** An admin of the embedded broker besides the leader's user (a tool, a stale second leader): see startLeader. */
  public static final String TOOL_USER = "pioreactor.tool";

  public final Path dir;
  final boolean embedded;
  public final int httpPort = FreePorts.next();
  final int brokerPort;
  public final Http http;
  public final Cli cli;
  private final MosquittoBroker mosquitto;
  private final Map<String, DaemonProcess> daemons = new LinkedHashMap<>();
  private final Vertx vertx = Vertx.vertx();
  private final TopicWatcher watcher;
  private final TopicWatcher asLeader;
  public final TestCredentials credentials;
  private final boolean anonymousRead;
  /** The latest payload of every topic, as the watcher sees it. */
  public final Map<String, String> retained;
  /** Every message the watcher saw, in order, as "topic payload": to tell what happened, not just where it ended. */
  public final List<String> seen;

  public Cluster(Path dir, boolean embedded) {
    this(dir, embedded, false);
  }

  /** {@code anonymousRead}: anonymous clients may connect and read, as on the demo (they publish nothing either way). */
  public Cluster(Path dir, boolean embedded, boolean anonymousRead) {
    this.dir = dir;
    this.embedded = embedded;
    this.anonymousRead = anonymousRead;
    this.credentials = new TestCredentials(dir.resolve("broker.passwd"));
    this.mosquitto = embedded ? null : MosquittoBroker.start(java.util.List.of("allow_anonymous " + anonymousRead,
        "password_file " + credentials.file, "acl_file " + DaemonProcess.ROOT.resolve("conf/mosquitto/pioreactor.acl")));
    this.brokerPort = embedded ? FreePorts.next() : mosquitto.port();
    this.http = new Http("http://127.0.0.1:" + httpPort);
    this.cli = new Cli("http://127.0.0.1:" + httpPort);
    this.watcher = new TopicWatcher(vertx, "e2e-watcher-" + httpPort, "127.0.0.1", brokerPort, TestCredentials.WEB_USER,
        credentials.password(TestCredentials.WEB_USER));
    this.asLeader = new TopicWatcher(vertx, "e2e-as-leader-" + httpPort, "127.0.0.1", brokerPort, TestCredentials.LEADER_USER,
        credentials.password(TestCredentials.LEADER_USER));
    this.retained = watcher.retained;
    this.seen = watcher.seen;
  }

  private Path database;

  Path database() {
    return database != null ? database : dir.resolve("leader/pioreactor.sqlite");
  }

  /** Puts the leader's SQLite file elsewhere (e.g. on a small filesystem of the test's own); before startLeader. */
  public void databaseAt(Path file) {
    this.database = file;
  }

  /** HTTP Basic sign-in for the leader's API and page; the test clients then use it too. */
  public void requireSignIn(String username, String password) {
    this.auth = new JsonObject().put("username", username).put("password", password);
    http.credentials(username, password);
    cli.credentials(username, password);
  }

  private JsonObject auth;

  private boolean leaderIsWorker;
  private JsonObject leaderExtra = new JsonObject();

  /** Options merged into the leader's config (e.g. {@code clocks}); before startLeader. */
  public void leaderConfig(JsonObject extra) {
    this.leaderExtra = extra.copy();
  }

  /** Starts the leader again with the same config, ports and database (after its process stopped). */
  public void restartLeader() throws Exception {
    if (embedded) {
      watcher.forget(); // its broker went with the leader
      asLeader.forget();
    }
    startLeader(leaderIsWorker);
  }

  /** SIGKILL to the leader: no shutdown hook runs, as with a power cut. */
  public void killLeader() throws InterruptedException {
    daemons.get("leader-daemon").kill();
  }

  public void startLeader(boolean leaderIsWorker) throws Exception {
    this.leaderIsWorker = leaderIsWorker;
    JsonObject c = new JsonObject()
        .put("unit", "leader")
        .put("leader_is_worker", leaderIsWorker)
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", httpPort))
        .put("database", new JsonObject().put("path", database().toString()))
        .put("add_timeout_seconds", 3)
        // Off on one host: the multi-host test (network namespaces) turns it on.
        .put("discovery", new JsonObject().put("enabled", false))
        .put("mqtt", new JsonObject().put("keepalive_seconds", KEEPALIVE_S));
    if (auth != null) {
      c.getJsonObject("http").put("auth", auth);
    }
    if (embedded) {
      c.put("broker", new JsonObject().put("host", "127.0.0.1").put("port", brokerPort).put("ws_port", FreePorts.next())
          .put("password_file", credentials.file.toString()).put("anonymous_read", anonymousRead)
          // A second admin for tests that play a tool with admin rights, apart from the one the test drives with.
          .put("admin_users", new JsonArray().add(TestCredentials.LEADER_USER).add(TOOL_USER)));
    } else {
      c.getJsonObject("mqtt").put("host", "127.0.0.1").put("port", brokerPort).put("username", TestCredentials.LEADER_USER)
          .put("password", credentials.password(TestCredentials.LEADER_USER));
    }
    c.put("web_mqtt", new JsonObject().put("username", TestCredentials.WEB_USER).put("password", credentials.password(TestCredentials.WEB_USER)));
    c.mergeIn(leaderExtra);
    DaemonProcess leader = start("leader-daemon", DaemonProcess.LEADER_JAR, c);
    awaitTrue("the leader's API", Duration.ofSeconds(60), () -> http.get("/api/health").status() == 200, leader);
    awaitTrue("the leader's MQTT session", Duration.ofSeconds(30),
        () -> http.get("/api/health").body().contains("\"mqtt_connected\":true"), leader);
    watchRetained();
  }

  public void startWorker(String unit) throws Exception {
    startWorker(unit, new JsonArray().add("touch").add(dir.resolve("rebooted-" + unit).toString()));
  }

  /** Whether {@code unit}'s reboot (or, {@code shutdown}, shutdown) command ran. */
  public boolean ran(String unit, boolean shutdown) {
    return Files.exists(dir.resolve((shutdown ? "shut-down-" : "rebooted-") + unit));
  }

  /** {@code rebootCommand}: what the worker runs when told to reboot (tests may make it kill the worker, as a reboot does). */
  public void startWorker(String unit, JsonArray rebootCommand) throws Exception {
    startWorker(unit, rebootCommand, List.of(), new JsonObject());
  }

  /** {@code overrides}: config keys that replace the test defaults (a worker's own {@code state_dir}, its {@code health}, {@code mock.broken} for the self test). */
  public void startWorker(String unit, JsonObject overrides) throws Exception {
    startWorker(unit, new JsonArray().add("touch").add(dir.resolve("rebooted-" + unit).toString()), List.of(), overrides);
  }

  public void startWorker(String unit, JsonArray rebootCommand, JsonObject overrides) throws Exception {
    startWorker(unit, rebootCommand, List.of(), overrides);
  }

  /** {@code prefix}: what the daemon runs inside (e.g. {@code env LD_PRELOAD=…}); {@code extra}: options merged into its config. */
  public void startWorker(String unit, JsonArray rebootCommand, List<String> prefix, JsonObject extra) throws Exception {
    JsonObject c = new JsonObject()
        .put("unit", unit)
        .put("mqtt", unitMqtt(unit))
        .put("hardware", new JsonObject().put("platform", "mock"))
        .put("discovery", new JsonObject().put("enabled", false))
        .put("reboot_command", rebootCommand)
        // Never the default (sudo systemctl poweroff): a test that sends shutdown must not power off the test machine.
        .put("shutdown_command", new JsonArray().add("touch").add(dir.resolve("shut-down-" + unit).toString()))
        .put("state_dir", dir.resolve("state").toString())
        // Never the default (sudo chronyc makestep): a test's sync must not step the test machine's clock.
        .put("clock_sync_command", new JsonArray().add("true"))
        .mergeIn(extra);
    DaemonProcess w = start(unit, DaemonProcess.WORKER_JAR, c, prefix);
    awaitTrue(unit + " ready", Duration.ofSeconds(60), () -> "ready".equals(retained.get(Topics.monitorState(unit))), w);
  }

  /** A unit's {@code mqtt} config block, with its own broker credentials (made now if it has none yet). */
  public JsonObject unitMqtt(String unit) {
    JsonObject o = credentials.workerMqtt(unit, "127.0.0.1", brokerPort, KEEPALIVE_S);
    if (mosquitto != null) {
      mosquitto.reload(); // mosquitto reads new credentials on SIGHUP; the embedded broker on its own
    }
    return o;
  }

  public int brokerPort() {
    return brokerPort;
  }

  public DaemonProcess daemon(String name) {
    return daemons.get(name);
  }

  private DaemonProcess start(String name, Path jar, JsonObject config) throws Exception {
    return start(name, jar, config, List.of());
  }

  private DaemonProcess start(String name, Path jar, JsonObject config, List<String> prefix) throws Exception {
    Path sub = dir.resolve(name.equals("leader-daemon") ? "leader" : name);
    Files.createDirectories(sub);
    Path file = sub.resolve("config.json");
    Files.writeString(file, config.encodePrettily());
    DaemonProcess d = new DaemonProcess(prefix, jar, file, sub.resolve("daemon.log")).start();
    daemons.put(name, d);
    return d;
  }

  /** Debian's mosquitto under this cluster (null with the embedded broker). */
  public MosquittoBroker mosquitto() {
    return mosquitto;
  }

  /** A fresh watcher after the broker came back: forgets what it knew, so what it sees now was published again. */
  public void watchAgain() {
    watcher.forget();
    asLeader.forget();
    watchRetained();
  }

  private void watchRetained() {
    watcher.connect();
  }

  /** Adds running workers to the inventory, creates {@code experiment} and assigns them to it (through the API). */
  public void addAndAssign(String experiment, String... workers) {
    for (String w : workers) {
      expect(http.send("POST", "/api/workers/setup", new JsonObject().put("name", w).encode()), 200);
    }
    expect(http.send("POST", "/api/experiments", new JsonObject().put("experiment", experiment).encode()), 201);
    for (String w : workers) {
      expect(http.send("PUT", "/api/experiments/" + java.net.URLEncoder.encode(experiment, java.nio.charset.StandardCharsets.UTF_8)
          .replace("+", "%20") + "/workers", new JsonObject().put("pioreactor_unit", w).encode()), 200);
    }
  }

  private static void expect(Http.Response r, int status) {
    if (r.status() != status) {
      throw new AssertionError("expected " + status + ", got " + r.status() + ": " + r.body());
    }
  }

  /** The REST path that runs {@code job} on {@code unit} in {@code experiment}. */
  public static String runJobPath(String unit, String experiment, String job) {
    return "/api/workers/" + unit + "/jobs/run/job_name/" + job + "/experiments/" + experiment;
  }

  /** Publishes as the leader's broker user would (not retained, QoS 1): what only the leader may send. */
  public void publishAsLeader(String topic, String payload) {
    asLeader.connect();
    asLeader.publish(topic, payload, false);
  }

  /** Publishes retained as the leader's broker user: a second admin client (a stale leader, a tool) writing state. */
  public void publishAsLeaderRetained(String topic, String payload) {
    asLeader.connect();
    asLeader.publish(topic, payload, true);
  }

  /** Every payload seen on {@code topic} from index {@code from} of {@link #seen} on. */
  public List<String> seenSince(int from, String topic) {
    synchronized (seen) {
      return seen.subList(from, seen.size()).stream().filter(m -> m.startsWith(topic + " "))
          .map(m -> m.substring(topic.length() + 1)).toList();
    }
  }

  /** A connected MQTT client as {@code user} (null: anonymous) with {@code clientId}; closed with the cluster. */
  public MqttClient mqttClient(String user, String clientId) {
    MqttClientOptions o = new MqttClientOptions().setClientId(clientId).setMaxMessageSize(2 << 20).setMaxInflightQueue(100_000);
    if (user != null) {
      o.setUsername(user).setPassword(credentials.password(user));
    }
    MqttClient client = MqttClient.create(vertx, o);
    client.connect(brokerPort, "127.0.0.1").await();
    return client;
  }

  /** Whether a client as {@code user} (null: anonymous) with {@code clientId} is let in at all. */
  public boolean canConnect(String user, String clientId) {
    MqttClientOptions o = new MqttClientOptions().setClientId(clientId);
    if (user != null) {
      o.setUsername(user).setPassword(credentials.password(user));
    }
    MqttClient client = MqttClient.create(vertx, o);
    boolean ok = client.connect(brokerPort, "127.0.0.1").map(ack -> true).otherwise(false).await();
    if (ok) {
      client.disconnect().otherwiseEmpty().await();
    }
    return ok;
  }

  /**
   * Asks {@code unit} (as the leader would) to identify itself and waits for its answer: a unit handles its messages in
   * order, so once it answered, everything sent to it before has been handled (and, if refused, refused).
   */
  public void roundTrip(String unit) {
    String id = "rt-" + java.util.UUID.randomUUID();
    publishAsLeader(Topics.command(unit, io.pioreactor.protocol.Protocol.HANDSHAKE),
        new io.pioreactor.protocol.CommandRequest(id, new JsonObject()).toBuffer().toString());
    awaitTrue(unit + " answers a handshake", Duration.ofSeconds(15), () -> {
      synchronized (seen) {
        return seen.stream().anyMatch(m -> m.startsWith(Topics.commandReply(unit, io.pioreactor.protocol.Protocol.HANDSHAKE))
            && m.contains(id));
      }
    }, daemons.getOrDefault(unit, daemons.get("leader-daemon")));
  }

  static void awaitTrue(String what, Duration limit, Supplier<Boolean> condition, DaemonProcess... watch) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      try {
        if (condition.get()) {
          return;
        }
      } catch (RuntimeException e) {
        // not yet
      }
      if (System.nanoTime() > deadline) {
        StringBuilder logs = new StringBuilder();
        for (DaemonProcess d : watch) {
          logs.append("\n--- log:\n").append(d.logTail());
        }
        throw new AssertionError("timed out waiting for " + what + logs);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
  }

  /** Rows of a query on the leader's SQLite file, each as column → value. */
  public List<Map<String, Object>> rows(String sql, Object... params) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database());
         var st = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        st.setObject(i + 1, params[i]);
      }
      List<Map<String, Object>> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
          }
          out.add(row);
        }
      }
      return out;
    }
  }

  JsonObject workerRow(String unit) {
    Http.Response r = http.get("/api/workers/" + unit);
    return r.status() == 200 ? (JsonObject) r.json() : null;
  }

  @Override
  public void close() {
    List<DaemonProcess> all = new ArrayList<>(daemons.values());
    java.util.Collections.reverse(all);
    all.forEach(DaemonProcess::close);
    watcher.close();
    asLeader.close();
    vertx.close().await();
    if (mosquitto != null) {
      mosquitto.close();
    }
  }
}
