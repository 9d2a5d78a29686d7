package io.pioreactor.worker;

import com.pi4j.context.Context;
import io.pioreactor.protocol.JobState;
import io.pioreactor.protocol.MalformedMessageException;
import io.pioreactor.protocol.Membership;
import io.pioreactor.protocol.Topic;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.mqtt.MqttConnection;
import io.pioreactor.worker.commands.CommandHandler;
import io.pioreactor.worker.config.WorkerConfig;
import io.pioreactor.worker.hardware.GpioContexts;
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
  private CommandHandler commands;
  private WorkerLog log;

  /** {@code gpio} may be given (tests pass pi4j's mock); null creates one from the config. */
  public WorkerVerticle(WorkerConfig config, Context gpio) {
    this.config = config;
    this.gpio = gpio;
  }

  @Override
  public Future<?> start() {
    String unit = config.unit();
    return vertx.executeBlocking(() -> new Object[] {gpio != null ? gpio : GpioContexts.create(config.platform()), HostFacts.read()})
        .compose(parts -> {
          Context ctx = (Context) parts[0];
          blinker = new IdentifyBlinker(vertx, ctx, config.ledPin());
          mqtt = new MqttConnection(vertx, config.mqtt(), unit + "-worker",
              new MqttConnection.Will(Topics.monitorState(unit), JobState.LOST.wire()));
          log = new WorkerLog(mqtt, unit);
          presence = new Presence(mqtt, unit, config.modelName(), config.modelVersion(), (HostFacts) parts[1]);
          membership = new MembershipState(this::haltAllActivities, this::membershipChanged);
          commands = new CommandHandler(mqtt, unit, presence, new Rebooter(vertx, config.rebootCommand()));
          return mqtt
              .subscribe(Topics.assignment(unit), 1)
              .subscribe(Topics.flickerLed(unit), 1)
              .subscribe(Topics.flickerLed(Topics.BROADCAST), 1)
              .subscribe(Topics.command(unit, "+"), 1)
              .subscribe(Topics.command(Topics.BROADCAST, "+"), 1)
              .messageHandler(this::route)
              .onConnected(() -> presence.announce().onSuccess(v -> log.info(unit + " connected and ready")))
              .start();
        });
  }

  private void route(MqttPublishMessage msg) {
    Topic topic = Topic.parse(msg.topicName()).orElse(null);
    if (topic == null) {
      return;
    }
    try {
      if (topic.isAssignment()) {
        membership.apply(config.unit(), msg.payload());
      } else if (topic.isMonitor() && topic.attribute().orElse("").equals(Topics.FLICKER_LED)) {
        if (blinker.blink()) {
          log.info("identify: blinking the LED");
        }
      } else if (topic.isCommand()) {
        commands.handle(topic.commandName(), msg.payload());
      }
    } catch (MalformedMessageException e) {
      LOG.warn("ignored malformed message on {}: {}", msg.topicName(), e.getMessage());
    }
  }

  private void haltAllActivities() {
    // Activities arrive with issue 4; the hook is where they stop, before anything else runs.
    log.info("halting all activities (none running)");
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

  @Override
  public Future<?> stop() {
    if (blinker != null) {
      blinker.off();
    }
    if (mqtt == null || !mqtt.isConnected()) {
      return Future.succeededFuture();
    }
    // Bounded: a broker that is gone must not keep the daemon from stopping.
    return presence.state(JobState.DISCONNECTED).timeout(2, TimeUnit.SECONDS)
        .eventually(() -> mqtt.close().timeout(2, TimeUnit.SECONDS));
  }
}
