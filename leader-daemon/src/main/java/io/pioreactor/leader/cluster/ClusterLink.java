package io.pioreactor.leader.cluster;

import io.pioreactor.leader.jobs.ActivityHistory;
import io.pioreactor.leader.logs.LogStore;
import io.pioreactor.leader.telemetry.TelemetryStore;
import io.pioreactor.protocol.CommandReply;
import io.pioreactor.protocol.LogMessage;
import io.pioreactor.protocol.MalformedMessageException;
import io.pioreactor.protocol.Readings;
import io.pioreactor.protocol.Topic;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.mqtt.MqttConnection;
import io.vertx.core.Future;
import io.vertx.mqtt.messages.MqttPublishMessage;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's MQTT session: subscribes to what workers publish and routes each message to the part
 * that owns it. Anything malformed is logged and dropped here, so no handler sees it.
 */
public final class ClusterLink {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterLink.class);
  private static final Duration RETAINED_READ = Duration.ofSeconds(2);

  private final MqttConnection mqtt;
  private final LiveUnits live;
  private final CommandClient commands;
  private final MembershipPublisher memberships;
  private final LogStore logs;
  private final ActivityHistory history;
  private final TelemetryStore telemetry;
  private java.util.function.BiConsumer<String, io.vertx.core.buffer.Buffer> configStatuses = (u, b) -> {};

  private java.util.function.BiConsumer<String, io.vertx.core.buffer.Buffer> healths = (u, b) -> {};

  /** Where each unit's {@link Topics#health} goes. */
  public ClusterLink onHealth(java.util.function.BiConsumer<String, io.vertx.core.buffer.Buffer> handler) {
    this.healths = handler;
    return this;
  }

  /** Where each unit's {@link Topics#configStatus} goes. */
  public ClusterLink onConfigStatus(java.util.function.BiConsumer<String, io.vertx.core.buffer.Buffer> handler) {
    this.configStatuses = handler;
    return this;
  }

  public ClusterLink(MqttConnection mqtt, LiveUnits live, CommandClient commands, MembershipPublisher memberships,
                     LogStore logs, ActivityHistory history, TelemetryStore telemetry) {
    this.history = history;
    this.telemetry = telemetry;
    this.mqtt = mqtt;
    this.live = live;
    this.commands = commands;
    this.memberships = memberships;
    this.logs = logs;
  }

  /** Connects; after every (re)connect, {@code reassert} runs (membership of every worker). */
  public Future<Void> start(Supplier<Future<?>> reassert) {
    // Retained messages reach route() flagged as retained, so they update the live view but are not history again.
    live.onUnheardMember(unit -> mqtt.readRetained(Topics.jobAttributesOf(unit), RETAINED_READ, this::route));
    return mqtt
        // One filter for monitor attributes, job states and settings, and command replies (all at that depth):
        // overlapping filters would deliver twice.
        .subscribe(Topics.allJobAttributes(), 1)
        .subscribe(Topics.allAssignments(), 1)
        .subscribe(Topics.allLogs(), 1)
        .subscribe(Topics.allDosingEvents(), 1)
        .subscribe(Topics.allLedChangeEvents(), 1)
        .messageHandler(this::route)
        .onConnected(reassert)
        .start();
  }

  public boolean isConnected() {
    return mqtt.isConnected();
  }

  void route(MqttPublishMessage msg) {
    Optional<Topic> parsed = Topic.parse(msg.topicName());
    // Names no unit, experiment or job can have are nobody's: dropped before anything is kept or shown.
    if (parsed.isEmpty() || parsed.get().isBroadcast() || !parsed.get().hasValidNames()) {
      return;
    }
    Topic topic = parsed.get();
    try {
      if (topic.isCommandReply()) {
        commands.onReply(topic.unit(), CommandReply.fromBuffer(msg.payload()));
      } else if (topic.isConfigStatus()) {
        configStatuses.accept(topic.unit(), msg.payload());
      } else if (topic.isHealth()) {
        healths.accept(topic.unit(), msg.payload());
      } else if (topic.isSelfTestAttribute()) {
        if (live.applySelfTest(topic, msg.payload())) {
          history.record(msg.topicName(), topic, msg.payload().toString(), msg.isRetain()); // stored as any job's settings
        }
      } else if (topic.isMonitor()) {
        live.apply(topic, msg.payload());
      } else if (topic.isJobAttribute()) {
        // A reading (OD, growth rate, …) goes to its table, not to the history of settings; its name is still tracked
        // (a lost job's retained readings are cleared like its settings).
        boolean reading = TelemetryStore.isReading(topic) || Readings.ODS.equals(topic.jobAttribute());
        if (!live.applyJobAttribute(topic, msg.payload(), reading)) {
          return; // not believable (a garbled state): not history either
        }
        if (reading) {
          telemetry.store(msg.topicName(), topic, msg.payload(), msg.isRetain()); // bounded and logged there
        } else {
          history.record(msg.topicName(), topic, msg.payload().toString(), msg.isRetain()); // bounded and logged there
        }
      } else if (TelemetryStore.isReading(topic)) {
        telemetry.store(msg.topicName(), topic, msg.payload(), msg.isRetain()); // dosing and LED events
      } else if (topic.isAssignment()) {
        memberships.checkRetained(topic.unit(), msg.payload());
      } else if (topic.isLog()) {
        logs.store(msg.topicName(), topic, LogMessage.fromBuffer(msg.payload())); // failures logged there, rate-limited
      }
    } catch (MalformedMessageException e) {
      LOG.warn("ignored malformed message on {}: {}", msg.topicName(), e.getMessage());
    }
  }
}
