package io.pioreactor.leader;

import io.pioreactor.leader.api.HttpApi;
import io.pioreactor.leader.broker.EmbeddedBroker;
import io.pioreactor.leader.cluster.ClusterLink;
import io.pioreactor.leader.cluster.CommandClient;
import io.pioreactor.leader.cluster.LiveUnits;
import io.pioreactor.leader.cluster.MembershipPublisher;
import io.pioreactor.leader.config.LeaderConfig;
import io.pioreactor.leader.database.Database;
import io.pioreactor.leader.experiments.ExperimentRepository;
import io.pioreactor.leader.experiments.ExperimentService;
import io.pioreactor.leader.inventory.AddWorkerFlow;
import io.pioreactor.leader.inventory.InventoryEvents;
import io.pioreactor.leader.inventory.InventoryService;
import io.pioreactor.leader.inventory.WorkerRepository;
import io.pioreactor.leader.jobs.ActivityHistory;
import io.pioreactor.leader.jobs.JobService;
import io.pioreactor.leader.profiles.ProfileService;
import io.pioreactor.leader.inventory.WorkerViews;
import io.pioreactor.leader.logs.LogStore;
import io.pioreactor.leader.system.RebootService;
import io.pioreactor.protocol.mqtt.MqttConnection;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader, wired: broker (when embedded) → database → MQTT session → HTTP API, in one chain so a
 * failed step fails the deployment. Everything runs on this verticle's event loop.
 */
public final class LeaderVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderVerticle.class);

  private final LeaderConfig config;
  private EmbeddedBroker broker;
  private Database database;
  private MqttConnection mqtt;
  private HttpApi api;
  private ProfileService profiles;

  public LeaderVerticle(LeaderConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    return startBroker()
        .compose(v -> Database.open(vertx, config.databasePath()))
        .compose(db -> {
          database = db;
          return seedLeaderAsWorker(db);
        })
        .compose(v -> wire())
        .onSuccess(v -> LOG.info("leader {} ready: http://{}:{}/ (broker {} on port {})", config.unit(),
            config.httpHost(), api.actualPort(), config.embeddedBroker() ? "embedded" : "external",
            config.embeddedBroker() ? broker.port() : config.mqtt().port()));
  }

  private Future<Void> startBroker() {
    if (!config.embeddedBroker()) {
      return Future.succeededFuture();
    }
    broker = new EmbeddedBroker(vertx, config.broker());
    return broker.start();
  }

  /** A fresh install is a single-unit cluster: the leader is its own first worker. */
  private Future<Void> seedLeaderAsWorker(Database db) {
    if (!db.isFresh() || !config.leaderIsWorker()) {
      return Future.succeededFuture();
    }
    LOG.info("fresh database: adding the leader {} to its own inventory", config.unit());
    return new WorkerRepository(db.pool()).insert(config.unit(), Instant.now().toString(), config.defaultModelName(),
        config.defaultModelVersion(), null);
  }

  private Future<Void> wire() {
    var mqttSettings = config.embeddedBroker() ? config.mqtt().withHostPort("127.0.0.1", broker.port()) : config.mqtt();
    mqtt = new MqttConnection(vertx, mqttSettings, config.unit() + "-leader", null);
    var workers = new WorkerRepository(database.pool());
    var experimentRepo = new ExperimentRepository(database.pool());
    var live = new LiveUnits();
    var commands = new CommandClient(vertx, mqtt);
    var memberships = new MembershipPublisher(mqtt, workers);
    var events = new InventoryEvents(vertx);
    var views = new WorkerViews(live, config.unit());
    var addFlow = new AddWorkerFlow(workers, commands, memberships, config.addTimeout());
    var inventory = new InventoryService(workers, experimentRepo, memberships, addFlow, views, events, mqtt);
    var logs = new LogStore(database.pool());
    live.onChange(inventory::announceLive);
    var history = new ActivityHistory(database.pool());
    var jobs = new JobService(workers, experimentRepo, commands, live);
    var link = new ClusterLink(mqtt, live, commands, memberships, logs, history);
    profiles = new ProfileService(vertx, database.pool(), workers, experimentRepo, jobs, mqtt, config.unit());
    // The HTTP API comes up even while the broker is unreachable; health says so.
    link.start(inventory::reassertAll);
    api = new HttpApi(vertx, config, inventory, new ExperimentService(experimentRepo, events),
        new RebootService(workers, live, commands, config.unit()), logs, live, jobs, history, profiles, link::isConnected,
        broker == null ? config.mqtt().port() : broker.port(), broker == null ? 0 : broker.wsPort());
    return api.listen().mapEmpty();
  }

  public int httpPort() {
    return api.actualPort();
  }

  @Override
  public Future<?> stop() {
    if (profiles != null) {
      profiles.stopAll();
    }
    Future<Void> apiClosed = api == null ? Future.succeededFuture() : api.close();
    return apiClosed
        .compose(v -> mqtt == null ? Future.succeededFuture() : mqtt.close())
        .compose(v -> database == null ? Future.succeededFuture() : database.close())
        .compose(v -> broker == null ? Future.succeededFuture() : broker.stop());
  }
}
