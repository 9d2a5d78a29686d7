package io.pioreactor.leader.cluster;

import io.pioreactor.protocol.JobState;
import io.pioreactor.protocol.Topic;
import io.pioreactor.protocol.Topics;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live state of every unit seen on the broker, fed by the retained {@code monitor/*} topics.
 * Calls the listener with the unit's name after each change, so the event stream can follow.
 */
public final class LiveUnits {
  private static final Logger LOG = LoggerFactory.getLogger(LiveUnits.class);

  /** Monitor attributes a unit reports about itself. */
  private static final java.util.Set<String> REPORTED =
      java.util.Set.of(Topics.STATE, Topics.IPV4, Topics.WLAN_MAC, Topics.ETH_MAC, Topics.VERSIONS, Topics.MODEL);

  private final Map<String, UnitLiveState> units = new TreeMap<>();
  private Consumer<String> listener = u -> {};

  public void onChange(Consumer<String> l) {
    this.listener = l;
  }

  public Optional<UnitLiveState> get(String unit) {
    return Optional.ofNullable(units.get(unit));
  }

  public Map<String, UnitLiveState> all() {
    return units;
  }

  /**
   * Applies a job's {@code $state}: running states are kept; disconnected, lost or cleared (empty) end the job.
   * Anything else is not a state: ignored, so a garbled message cannot make a running job vanish from view.
   */
  public boolean applyJobState(Topic topic, Buffer payload) {
    if (!topic.isJobState() || topic.isBroadcast()) {
      return false;
    }
    String text = payload.toString();
    var state = JobState.parse(text);
    if (state.isEmpty() && payload.length() > 0) {
      LOG.warn("ignored unknown job state '{}' on {}/{}", abbreviate(text), topic.unit(), topic.job());
      return false;
    }
    UnitLiveState s = units.computeIfAbsent(topic.unit(), u -> new UnitLiveState());
    String key = topic.experiment() + "/" + topic.job();
    boolean running = state.isPresent() && state.get() != JobState.DISCONNECTED && state.get() != JobState.LOST;
    String before = running ? s.jobs.put(key, text) : s.jobs.remove(key);
    if (!text.equals(before)) {
      listener.accept(topic.unit());
    }
    return true;
  }

  /** Applies one monitor message; returns false when it was not one we understand. */
  public boolean apply(Topic topic, Buffer payload) {
    if (!topic.isMonitor() || topic.isBroadcast()) {
      return false;
    }
    String attr = topic.attribute().orElseThrow();
    if (!REPORTED.contains(attr)) {
      return false; // e.g. the identify request the leader itself publishes
    }
    String text = payload.toString();
    UnitLiveState s = units.computeIfAbsent(topic.unit(), u -> new UnitLiveState());
    switch (attr) {
      case Topics.STATE -> {
        if (text.isEmpty()) {
          // A cleared state topic: the unit is gone from the broker's memory.
          s.state = null;
        } else if (JobState.parse(text).isEmpty()) {
          LOG.warn("ignored unknown state '{}' from {}", abbreviate(text), topic.unit());
          return false;
        } else {
          if (!text.equals(s.state) && JobState.READY.wire().equals(text)) {
            s.readySince = Instant.now();
          }
          s.state = text;
        }
      }
      case Topics.IPV4 -> s.ipv4 = text;
      case Topics.WLAN_MAC -> s.wlanMac = text;
      case Topics.ETH_MAC -> s.ethMac = text;
      case Topics.VERSIONS -> s.versions = jsonOrNull(text, topic);
      case Topics.MODEL -> s.model = jsonOrNull(text, topic);
      default -> throw new IllegalStateException("unreachable: " + attr);
    }
    if (!text.isEmpty() && !JobState.LOST.wire().equals(s.state)) {
      s.lastSeen = Instant.now();
    }
    listener.accept(topic.unit());
    return true;
  }

  private static JsonObject jsonOrNull(String text, Topic topic) {
    if (text.isEmpty()) {
      return null;
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      LOG.warn("ignored malformed {} from {}", topic.attribute().orElse("?"), topic.unit());
      return null;
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
