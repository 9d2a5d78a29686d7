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
import io.pioreactor.leader.inventory.RenameFlow;
import io.pioreactor.leader.inventory.WorkerRepository;
import io.pioreactor.leader.jobs.ActivityHistory;
import io.pioreactor.leader.jobs.JobService;
import io.pioreactor.leader.discovery.MdnsDirectory;
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
  private MdnsDirectory mdns;
  private long pruneTimer = -1;
  private io.pioreactor.leader.database.BackupWatch backups;
  private io.pioreactor.leader.health.HealthService health;
  private io.pioreactor.leader.logs.LiveLogFeed liveLogs;
  private io.pioreactor.leader.clocks.ClockService clockService;
  private io.pioreactor.leader.telemetry.TelemetryStore telemetry;

  private final io.pioreactor.protocol.daemon.Daemons.Restart restart;

  public LeaderVerticle(LeaderConfig config) {
    this(config, null);
  }

  /** {@code restart}: how the leader restarts itself (after an import); null when embedded. */
  public LeaderVerticle(LeaderConfig config, io.pioreactor.protocol.daemon.Daemons.Restart restart) {
    this.config = config;
    this.restart = restart;
  }

  @Override
  public Future<?> start() {
    return startBroker()
        .compose(v -> Database.open(vertx, config.databasePath()))
        .compose(db -> {
          database = db;
          return seedLeaderAsWorker(db).compose(v -> new WorkerRepository(db.pool())
              .fillMissingModels(config.defaultModelName(), config.defaultModelVersion()));
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
        config.defaultModelVersion(), null).mapEmpty();
  }

  private Future<Void> wire() {
    // With the embedded broker, the leader signs in with the credential the broker made for it at this start.
    var mqttSettings = config.embeddedBroker()
        ? new io.pioreactor.protocol.mqtt.MqttSettings("127.0.0.1", broker.port(), broker.leaderCredential()[0],
            broker.leaderCredential()[1], config.mqtt().keepAliveSeconds())
        : config.mqtt();
    mqtt = new MqttConnection(vertx, mqttSettings, io.pioreactor.protocol.ClientIds.leader(config.unit()), null);
    var workers = new WorkerRepository(database.pool());
    var experimentRepo = new ExperimentRepository(database.pool());
    var live = new LiveUnits(vertx);
    var commands = new CommandClient(vertx, mqtt);
    var memberships = new MembershipPublisher(vertx, mqtt, workers);
    var events = new InventoryEvents(vertx);
    var views = new WorkerViews(live, config.unit());
    if (config.mdns()) {
      mdns = new MdnsDirectory(vertx, MdnsDirectory.address(config.mdnsAddress()), config.unit());
    }
    var addFlow = new AddWorkerFlow(workers, commands, memberships, config.addTimeout(), this::locate);
    var inventory = new InventoryService(workers, experimentRepo, memberships, addFlow, views, events, mqtt, live)
        .defaultModel(config.defaultModelName(), config.defaultModelVersion());
    liveLogs = new io.pioreactor.leader.logs.LiveLogFeed(vertx, batch -> events.emit(InventoryEvents.LOGS, batch));
    var logs = new LogStore(database.pool(), config.storage()).onStored(liveLogs::add);
    // Online: its worker daemon says ready, under that name in any letters (names are hostnames).
    java.util.function.Predicate<String> online = unit -> live.all().keySet().stream()
        .anyMatch(u -> u.equalsIgnoreCase(unit) && views.seenOnBroker(u));
    var rename = new RenameFlow(vertx, inventory, commands, online, config.unit(), new io.pioreactor.leader.broker.BrokerCredentials(
        vertx, config.embeddedBroker() ? config.broker().passwordFile() : null));
    live.onChange(inventory::announceLive);
    backups = new io.pioreactor.leader.database.BackupWatch(vertx, config.backups());
    health = new io.pioreactor.leader.health.HealthService(vertx, config.health(), config.unit(), live::inInventory,
        views::seenOnBroker, new io.pioreactor.leader.health.HealthLog(config.unit(), (t, b) -> mqtt.publish(t, b, 1, false)))
        .onChange(inventory::announceLive).newestBackup(backups::newestOrWaitingSince).start();
    views.health(health::view);
    live.onJobLost(new io.pioreactor.leader.cluster.LostJobSettings(vertx, mqtt, live)::lost);
    var history = new ActivityHistory(database.pool(), config.storage());
    telemetry = new io.pioreactor.leader.telemetry.TelemetryStore(vertx, database.pool(), config.storage())
        .onStored(batch -> events.emit(InventoryEvents.READINGS, batch));
    // Retention: the oldest rows past the bounds go, now and every minute (failures are retried a minute later).
    Runnable prune = () -> logs.prune().compose(v -> history.prune()).compose(v -> telemetry.prune())
        .onFailure(err -> LOG.warn("could not prune old log and history rows: {}", err.getMessage()));
    prune.run();
    pruneTimer = vertx.setPeriodic(60_000, t -> prune.run());
    var jobs = new JobService(workers, experimentRepo, commands, live, mqtt);
    var link = new ClusterLink(mqtt, live, commands, memberships, logs, history, telemetry);
    profiles = new ProfileService(vertx, database.pool(), workers, experimentRepo, jobs, mqtt, config.unit());
    int brokerPort = broker == null ? config.mqtt().port() : broker.port();
    int brokerWsPort = broker == null ? 0 : broker.wsPort();
    var configs = new io.pioreactor.leader.clusterconfig.ClusterConfigService(database.pool(), workers,
        seenAs -> workers.all().map(rows -> io.pioreactor.leader.clusterconfig.LeaderOwnedSections.of(config, brokerPort,
            brokerWsPort, rows, seenAs)), config.unit() + ".local");
    var deliveries = new io.pioreactor.leader.clusterconfig.ConfigDeliveries(vertx, mqtt, workers, configs)
        .onStatusChange(change -> events.emit(InventoryEvents.CONFIG, change));
    configs.onChange(() -> deliveries.deliverAll());
    link.onConfigStatus(deliveries::onStatus);
    link.onHealth(health::onMessage);
    // Added units get their configuration at once; removed ones lose it.
    vertx.eventBus().<io.vertx.core.json.JsonObject>consumer(InventoryEvents.ADDRESS, m -> {
      String event = m.body().getString("event");
      String unit = m.body().getJsonObject("data", new io.vertx.core.json.JsonObject()).getString("pioreactor_unit");
      if (unit != null && InventoryEvents.WORKER_REMOVED.equals(event)) {
        deliveries.forget(unit);
      } else if (unit != null && InventoryEvents.WORKER.equals(event)) {
        deliveries.deliverIfNew(unit);
      }
    });
    // The HTTP API comes up even while the broker is unreachable; health says so. The inventory is known before the
    // first connect, so retained states of many units are not taken for a flood of strangers.
    configs.ensureShared().compose(v -> deliveries.deliverAll())
        .onFailure(err -> LOG.warn("could not read the cluster configuration: {}", err.getMessage()))
        .eventually(() -> inventory.syncNames())
        .onComplete(known -> link.start(() -> inventory.syncNames().compose(v -> inventory.reassertAll())
            // (a configuration that cannot be sent now must not take the leader's session down: logged, sent next time)
            .compose(v -> deliveries.deliverAll().recover(err -> {
              LOG.warn("could not send the units their configuration: {}; it is sent again on the next connect or edit",
                  err.getMessage());
              return Future.succeededFuture();
            }))));
    api = new HttpApi(vertx, config, inventory, new ExperimentService(experimentRepo, events),
        new RebootService(workers, live, commands, config.unit()), logs, live, jobs, history, profiles, rename,
        () -> mdns == null ? java.util.Map.of() : mdns.workers(), link::isConnected, brokerPort, brokerWsPort);
    api.clusterConfig(configs, deliveries);
    api.clocks(clocks(commands, workers, views, inventory));
    api.logLines(mqtt);
    api.backups(backups).leaderWarnings(() -> health.warnings(config.unit()).stream()
        .map(io.pioreactor.leader.health.HealthWarning::toJson).toList());
    api.experimentData(new io.pioreactor.leader.telemetry.TimeSeries(database.readPool()),
        new io.pioreactor.leader.telemetry.ExperimentExport(database.readPool()),
        new io.pioreactor.leader.experiments.UnitLabels(database.pool(), experimentRepo));
    api.leaderState(new io.pioreactor.leader.system.LeaderState(vertx, config.databasePath(),
        Database.schemaVersion()), () -> {
          if (restart == null) {
            LOG.warn("an import is staged: restart the leader to use it");
          } else {
            restart.restart();
          }
        });
    return api.listen().onSuccess(v -> startMdns(workers)).mapEmpty();
  }

  /** Units' clocks measured on a timer, shown in the worker views, changes announced like live state. */
  private io.pioreactor.leader.clocks.ClockService clocks(CommandClient commands, WorkerRepository workers, WorkerViews views,
                                                          InventoryService inventory) {
    var offsets = new io.pioreactor.leader.clocks.ClockOffsets(config.clocks().maxOffsetMs())
        .onChange(unit -> inventory.announceLive(java.util.Set.of(unit)));
    views.clocks(offsets::json);
    // The clock's warning among the unit's health warnings (on its card, in status, logged once per change).
    health.clockOffsets(unit -> offsets.get(unit).map(c -> c.offsetMs() / 1000));
    clockService = new io.pioreactor.leader.clocks.ClockService(vertx, commands, config.clocks(), offsets,
        () -> workers.all().map(rows -> rows.stream().map(io.pioreactor.leader.inventory.WorkerRow::unit)
            .collect(java.util.stream.Collectors.toSet())), views::seenOnBroker).start();
    return clockService;
  }

  /** Best effort: without multicast the leader still works; `pio workers add` then needs -a or a resolvable name. */
  private void startMdns(WorkerRepository workers) {
    if (mdns == null) {
      return;
    }
    mdns.onNewWorker(seen -> workers.find(seen.unit()).onSuccess(row -> {
      if (row.isEmpty()) {
        LOG.info("new worker on the network: {} ({}) is not in the inventory; add it with: pio workers add {}", seen.unit(),
            seen.ipv4(), seen.unit());
      }
    }));
    mdns.start(config.embeddedBroker() ? broker.port() : config.mqtt().port(), api.actualPort())
        .onFailure(err -> LOG.warn("mDNS unavailable ({}): discovery off; add workers by name or with -a", err.getMessage()));
  }

  /** A worker's address by name: the config's {@code addresses}, then mDNS, then {@code <name>.local} (bounded). */
  private Future<java.util.Optional<AddWorkerFlow.Located>> locate(String name) {
    String configured = config.addresses().get(name);
    if (configured != null) {
      return Future.succeededFuture(java.util.Optional.of(new AddWorkerFlow.Located(configured, "configured address")));
    }
    if (mdns == null) {
      return Future.succeededFuture(java.util.Optional.empty()); // discovery off: the broker handshake decides
    }
    {
      var seen = mdns.find(name);
      if (seen.isPresent() && seen.get().ipv4() != null) {
        return Future.succeededFuture(java.util.Optional.of(new AddWorkerFlow.Located(seen.get().ipv4(), "found by mDNS")));
      }
    }
    return vertx.<java.util.Optional<AddWorkerFlow.Located>>executeBlocking(() -> {
      for (var a : java.net.InetAddress.getAllByName(name + ".local")) {
        if (a instanceof java.net.Inet4Address) {
          return java.util.Optional.of(new AddWorkerFlow.Located(a.getHostAddress(), name + ".local"));
        }
      }
      return java.util.Optional.empty();
    }, false).timeout(3, java.util.concurrent.TimeUnit.SECONDS).otherwise(java.util.Optional.empty());
  }

  public MdnsDirectory mdns() {
    return mdns;
  }

  public int httpPort() {
    return api.actualPort();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(pruneTimer);
    if (backups != null) {
      backups.close();
    }
    if (health != null) {
      health.stop();
    }
    if (liveLogs != null) {
      liveLogs.close();
    }
    if (clockService != null) {
      clockService.stop();
    }

    if (profiles != null) {
      profiles.stopAll();
    }
    Future<Void> mdnsClosed = mdns == null ? Future.succeededFuture() : mdns.close();
    Future<Void> apiClosed = api == null ? Future.succeededFuture() : api.close();
    // The broker session first (nothing more arrives), then what it delivered is committed, then the database closes.
    return apiClosed
        .compose(v -> mqtt == null ? Future.succeededFuture() : mqtt.close())
        .compose(v -> telemetry == null ? Future.succeededFuture() : telemetry.close())
        .compose(v -> database == null ? Future.succeededFuture() : database.close())
        .compose(v -> broker == null ? Future.succeededFuture() : broker.stop())
        .compose(v -> mdnsClosed);
  }
}
