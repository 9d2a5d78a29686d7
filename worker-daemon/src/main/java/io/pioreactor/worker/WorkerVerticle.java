package io.pioreactor.worker;

import com.pi4j.context.Context;
import io.pioreactor.protocol.JobState;
import io.pioreactor.protocol.MalformedMessageException;
import io.pioreactor.protocol.Membership;
import io.pioreactor.protocol.Topic;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.mqtt.MqttConnection;
import io.pioreactor.worker.activities.Activities;
import io.pioreactor.worker.button.HatButton;
import io.pioreactor.worker.activities.ActivityContext;
import io.pioreactor.worker.commands.CommandHandler;
import io.pioreactor.worker.config.WorkerConfig;
import io.pioreactor.worker.hardware.GpioContexts;
import io.pioreactor.worker.hardware.Hat;
import io.pioreactor.worker.led.IdentifyBlinker;
import io.pioreactor.worker.membership.MembershipState;
import io.pioreactor.worker.presence.HostFacts;
import io.pioreactor.worker.presence.Presence;
import io.pioreactor.worker.system.Rebooter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.mqtt.messages.MqttPublishMessage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker, wired: GPIO → MQTT session (will {@code lost}) → presence, membership, identify, commands.
 * Every message is routed from one place; anything malformed is logged and dropped.
 */
public final class WorkerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerVerticle.class);

  private final WorkerConfig config;
  private final Context gpio;
  private MqttConnection mqtt;
  private Presence presence;
  private MembershipState membership;
  private IdentifyBlinker blinker;
  private HatButton button;
  private CommandHandler commands;
  private WorkerLog log;
  private Hat hat;
  private Activities activities;
  private io.pioreactor.worker.clusterconfig.ClusterConfigState clusterConfig;
  private Context gpioInUse;
  private io.pioreactor.worker.discovery.Mdns mdns;
  private io.pioreactor.worker.health.HealthPublisher health;

  /** {@code gpio} may be given (tests pass pi4j's mock); null creates one from the config. */
  public WorkerVerticle(WorkerConfig config, Context gpio) {
    this(config, gpio, null);
  }

  /** {@code restart}: how the daemon restarts itself (after a rename); null when embedded (tests). */
  public WorkerVerticle(WorkerConfig config, Context gpio, io.pioreactor.protocol.daemon.Daemons.Restart restart) {
    this.config = config;
    this.gpio = gpio;
    this.restart = restart;
  }

  private final io.pioreactor.protocol.daemon.Daemons.Restart restart;
  private io.pioreactor.protocol.mqtt.MqttSettings brokerSettings;
  private long followTimer = -1;

  /**
   * A worker that found its leader by mDNS follows it to a new host: while the broker stays away, it looks again
   * every ten seconds, and when a leader answers from elsewhere it restarts there (its jobs were halted by the
   * stop; the new leader's retained membership decides what runs).
   */
  private void followLeaderIfMoved() {
    if (!config.findLeader() || restart == null || mdns == null || followTimer >= 0) {
      return;
    }
    followTimer = vertx.setPeriodic(10_000, t -> {
      if (mqtt.isConnected()) {
        vertx.cancelTimer(followTimer);
        followTimer = -1;
        return;
      }
      mdns.findLeader(3_000, brokerSettings.host()).onSuccess(found -> found.ifPresent(l -> {
        if (!l.host().equals(brokerSettings.host()) || l.mqttPort() != brokerSettings.port()) {
          LOG.warn("the leader moved: {} now answers at {}:{} (was {}:{}); restarting to follow it", l.unit(), l.host(),
              l.mqttPort(), brokerSettings.host(), brokerSettings.port());
          vertx.cancelTimer(followTimer);
          followTimer = -1;
          restart.restart();
        }
      }));
    });
  }

  @Override
  public Future<?> start() {
    String unit = config.unit();
    return vertx.executeBlocking(() -> new Object[] {gpio != null ? gpio : config.gpio(), HostFacts.read()})
        .compose(parts -> {
          Context ctx = (Context) parts[0];
          gpioInUse = ctx;
          blinker = new IdentifyBlinker(vertx, ctx, config.ledPin());
          HostFacts host = (HostFacts) parts[1];
          button = new HatButton(vertx, ctx, config.buttonPin(host.versions().getString("hat")), blinker.output(),
              blinker::isBusy, (attribute, down) -> mqtt == null || !mqtt.isConnected() ? Future.succeededFuture()
                  : mqtt.publish(Topics.monitor(unit, attribute), down ? "True" : "False", 1, true));
          hat = new Hat(vertx, ctx, config.hat(gpio != null || !GpioContexts.isReal(config.platform())), config.mockBench());
          clusterConfig = new io.pioreactor.worker.clusterconfig.ClusterConfigState(vertx, config.clusterConfigFile(), hat.settings());
          HostFacts facts = (HostFacts) parts[1];
          if (config.mdns() || config.findLeader()) {
            mdns = new io.pioreactor.worker.discovery.Mdns(vertx, mdnsAddress(facts), unit);
          }
          // The configuration it last applied, before anything runs: a unit started while the leader is away uses it.
          return vertx.executeBlocking(() -> {
            clusterConfig.loadStored();
            return null;
          }, false).compose(v -> config.findLeader() ? findLeader() : Future.succeededFuture(config.mqtt()))
              .map(settings -> new Object[] {ctx, facts, settings});
        })
        .compose(parts -> {
          Context ctx = (Context) parts[0];
          io.pioreactor.protocol.mqtt.MqttSettings mqttSettings = (io.pioreactor.protocol.mqtt.MqttSettings) parts[2];
          brokerSettings = mqttSettings;
          mqtt = new MqttConnection(vertx, mqttSettings, io.pioreactor.protocol.ClientIds.worker(unit),
              new MqttConnection.Will(Topics.monitorState(unit), JobState.LOST.wire()));
          log = new WorkerLog(mqtt, unit);
          presence = new Presence(mqtt, unit, config.modelName(), config.modelVersion(), (HostFacts) parts[1]);
          membership = new MembershipState(this::haltAllActivities, this::membershipChanged);
          activities = new Activities(new ActivityContext(vertx, unit, hat, mqttSettings, log, this::membershipSettled,
              this::jobConnectionLost, null, (topic, payload) -> mqtt.isConnected()
                  ? mqtt.publish(topic, payload, 1, true) : Future.succeededFuture(), clusterConfig::current),
              membership::current, membership::isKnown)
              .register(io.pioreactor.protocol.Jobs.SELF_TEST, (c, run) -> new io.pioreactor.worker.selftest.SelfTestJob(c, run, config.selfTestFile()));
          clusterConfig.runningJobs(activities::configVersions).publisher(status -> mqtt.isConnected()
              ? mqtt.publish(Topics.configStatus(unit), status.toBuffer(), 1, true) : Future.failedFuture("not connected"));
          activities.onJobsChanged(() -> clusterConfig.sayAgain());
          // Every membership message: stop what it no longer allows; once a change of experiment has stopped the old
          // experiment's jobs, tidy what they left retained.
          membership.onEvery(m -> {
            String before = lastExperiment;
            lastExperiment = m == null ? null : m.experiment();
            activities.enforce(m).onComplete(done -> {
              if (before != null && !before.equals(lastExperiment)) {
                tidyJobTopics();
              }
            });
          });
          hat.onPwmChange(this::publishDutyCycles);
          health = io.pioreactor.worker.health.HealthPublisher.of(vertx, mqtt, config, hat, () -> clusterConfig.current().version());
          commands = new CommandHandler(mqtt, unit, presence, new Rebooter(vertx, config.rebootCommand()), activities,
              new io.pioreactor.worker.system.Renamer(vertx, restart, () -> brokerSettings))
              .shutdown(new Rebooter(vertx, config.shutdownCommand(), "shutting down"))
              .clockSync(new io.pioreactor.worker.clock.ClockSync(vertx, config.clockSyncCommand()));
          return mqtt
              // First: a returning unit has applied (and acknowledged) the current configuration before any command
              // in the same SUBSCRIBE can start a job.
              .subscribe(Topics.unitConfig(unit), 1)
              .subscribe(Topics.assignment(unit), 1)
              .subscribe(Topics.allSetsFor(unit), 1)
              .subscribe(Topics.allSetsFor(Topics.BROADCAST), 1)
              .subscribe(Topics.flickerLed(unit), 1)
              .subscribe(Topics.flickerLed(Topics.BROADCAST), 1)
              .subscribe(Topics.command(unit, "+"), 1)
              .subscribe(Topics.command(Topics.BROADCAST, "+"), 1)
              .messageHandler(this::route)
              .onConnected(() -> presence.announce()
                  .compose(v -> publishDutyCycles(hat.dutyCycles()))
                  .compose(v -> activities.reassertStoppedJobs())
                  .compose(v -> clusterConfig.sayAgain())
                  .compose(v -> button.announce())
                  .compose(v -> health.announce())
                  .onSuccess(v -> {
                    log.info(unit + " connected and ready");
                    settleSoon();
                    // Only once the membership is known: which experiment is this unit's decides what is stale.
                    membership.settled().onSuccess(settled -> tidyJobTopics());
                  }))
              .onDisconnected(() -> {
                settleEpoch++; // a wait begun on the lost session no longer counts
                membership.markStale();
                followLeaderIfMoved();
              })
              .start()
              .onSuccess(v -> advertise((HostFacts) parts[1]))
              .onSuccess(v -> health.start());
        });
  }

  private java.net.InetAddress mdnsAddress(HostFacts facts) {
    String a = config.mdnsAddress() != null ? config.mdnsAddress() : facts.firstIpv4();
    try {
      // A literal IPv4 (checked when the config was read, or read from the interfaces): no DNS lookup happens.
      return a == null || a.isEmpty() ? java.net.InetAddress.getLoopbackAddress() : java.net.InetAddress.getByName(a);
    } catch (java.net.UnknownHostException e) {
      return java.net.InetAddress.getLoopbackAddress();
    }
  }

  /** Best effort: a network without multicast must not keep the worker from working. */
  private void advertise(HostFacts facts) {
    if (mdns != null && config.mdns()) {
      mdns.advertise(facts.firstIpv4(), config.modelName(), config.modelVersion())
          .onFailure(err -> LOG.warn("mDNS: could not advertise ({}); the leader can still add this worker by name", err.getMessage()));
    }
  }

  /**
   * No {@code mqtt.host} in the config: look for a leader advertising {@code _pio-leader._tcp} until one answers.
   * After ten fruitless seconds, also try this machine (a leader-as-worker whose network has no multicast).
   */
  private Future<io.pioreactor.protocol.mqtt.MqttSettings> findLeader() {
    LOG.info("no mqtt.host configured: looking for a leader by mDNS ({}); set mqtt.host to skip this", io.pioreactor.protocol.Discovery.LEADER_SERVICE);
    long started = System.nanoTime();
    return lookForLeader(started);
  }

  private Future<io.pioreactor.protocol.mqtt.MqttSettings> lookForLeader(long started) {
    return mdns.findLeader(3_000).compose(found -> {
      if (found.isPresent()) {
        LOG.info("found the leader {} at {}:{} by mDNS", found.get().unit(), found.get().host(), found.get().mqttPort());
        return Future.succeededFuture(config.mqtt().withHostPort(found.get().host(), found.get().mqttPort()));
      }
      if (System.nanoTime() - started > 10_000_000_000L) {
        LOG.warn("no leader found by mDNS in 10 s: trying this machine's broker (localhost); set mqtt.host in the config");
        return Future.succeededFuture(config.mqtt());
      }
      return lookForLeader(started);
    }, err -> {
      LOG.warn("mDNS unavailable ({}): trying this machine's broker (localhost); set mqtt.host in the config", err.getMessage());
      return Future.succeededFuture(config.mqtt());
    });
  }

  private void route(MqttPublishMessage msg) {
    if (msg.topicName().equals(Topics.unitConfig(config.unit()))) {
      clusterConfig.onDelivery(msg.payload());
      return;
    }
    Topic topic = Topic.parse(msg.topicName()).orElse(null);
    if (topic == null) {
      return;
    }
    try {
      if (topic.isAssignment()) {
        membership.apply(config.unit(), msg.payload());
      } else if (topic.isMonitor() && topic.attribute().orElse("").equals(Topics.FLICKER_LED)) {
        if (blinker.blink()) {
          // Stamped with the LED's first edge, not with when the line was written: scripts/bench times identify by it.
          log.info("identify: blinking the LED", blinker.lastStart());
        }
      } else if (topic.isSet()) {
        activities.onSet(topic, msg.payload());
      } else if (topic.isCommand()) {
        commands.handle(topic, msg.payload());
      }
    } catch (MalformedMessageException e) {
      LOG.warn("ignored malformed message on {}: {}", msg.topicName(), e.getMessage());
    }
  }

  private boolean tidying;
  private boolean tidyAgain;

  /**
   * Puts right what this unit has retained under its jobs' topics ({@link Activities#tidy}). Not awaited; one at a
   * time (the broker's replay of one read must not be cut short by the next), again once more if asked meanwhile.
   */
  private void tidyJobTopics() {
    if (tidying) {
      tidyAgain = true;
      return;
    }
    if (!mqtt.isConnected()) {
      return;
    }
    tidying = true;
    mqtt.readRetained(Topics.jobAttributesOf(config.unit()), java.time.Duration.ofSeconds(2),
            msg -> Topic.parse(msg.topicName()).ifPresent(t -> activities.tidy(t, msg.payload())))
        .onComplete(done -> {
          tidying = false;
          if (tidyAgain) {
            tidyAgain = false;
            tidyJobTopics();
          }
        });
  }

  private void haltAllActivities() {
    String why = membership.inInventory() ? "worker set inactive" : "removed from the inventory";
    log.info("halting all activities (" + activities.count() + " running): " + why);
    activities.haltAll(why);
  }

  private long settleEpoch;
  /** The experiment of the last membership heard, to notice when the unit leaves one. */
  private String lastExperiment;

  private Future<Void> membershipSettled() {
    return membership.settled();
  }

  /**
   * A job's own session dropped: the network may have been away, so what we know of our membership may be
   * stale. Ask the broker again (re-subscribing replays the retained membership) before jobs re-assert.
   */
  private void jobConnectionLost() {
    membership.markStale();
    if (mqtt.isConnected()) {
      mqtt.resubscribe(Topics.assignment(config.unit()));
      settleSoon();
    } // else the worker's own session is down too: its reconnect re-subscribes and starts the wait
  }

  /**
   * If no membership arrives (the leader never published one), go on after a short wait rather than hang; but
   * only on a session that has been up for the whole wait. Settling during an outage would let a job re-assert
   * "ready" on return before the worker heard it was set inactive, reassigned or removed.
   */
  private void settleSoon() {
    long epoch = ++settleEpoch;
    vertx.setTimer(3_000, t -> {
      if (epoch == settleEpoch && mqtt.isConnected()) {
        membership.settleWithoutNews();
      }
    });
  }

  private Future<Void> publishDutyCycles(java.util.Map<String, Double> dc) {
    if (!mqtt.isConnected()) {
      return Future.succeededFuture();
    }
    io.vertx.core.json.JsonObject o = new io.vertx.core.json.JsonObject();
    dc.forEach(o::put);
    return mqtt.publish(Topics.pwmDutyCycles(config.unit()), o.encode(), 1, true).mapEmpty();
  }

  private void membershipChanged(Membership before, Membership now) {
    if (now == null) {
      log.info(config.unit() + " is not in the inventory");
    } else {
      log.info(config.unit() + " membership: " + (now.isActive() ? "active" : "inactive") + ", experiment "
          + (now.experiment() == null ? "none" : now.experiment()));
    }
  }

  public MembershipState membership() {
    return membership;
  }

  public IdentifyBlinker blinker() {
    return blinker;
  }

  public Activities activities() {
    return activities;
  }

  public Hat hat() {
    return hat;
  }

  @Override
  public Future<?> stop() {
    if (followTimer >= 0) {
      vertx.cancelTimer(followTimer);
    }
    if (health != null) {
      health.stop();
    }
    if (button != null) {
      button.close();
    }
    if (blinker != null) {
      blinker.off();
    }
    // Jobs first (hardware safe, states published), then every PWM off whatever happened, then the session.
    Future<?> jobs = activities == null ? Future.succeededFuture()
        : activities.haltAll("worker daemon stopping").timeout(5, TimeUnit.SECONDS).recover(err -> Future.succeededFuture());
    return jobs
        .eventually(() -> hat == null ? Future.succeededFuture() : hat.allOff().timeout(2, TimeUnit.SECONDS))
        .eventually(() -> mqtt == null || !mqtt.isConnected() ? Future.succeededFuture()
            // Bounded: a broker that is gone must not keep the daemon from stopping.
            : presence.state(JobState.DISCONNECTED).timeout(2, TimeUnit.SECONDS)
                .eventually(() -> mqtt.close().timeout(2, TimeUnit.SECONDS)))
        .eventually(() -> mdns == null ? Future.succeededFuture() : mdns.close())
        .eventually(() -> gpio != null || gpioInUse == null ? Future.succeededFuture()
            : vertx.executeBlocking(() -> {
              gpioInUse.shutdown();
              return null;
            }));
  }
}
