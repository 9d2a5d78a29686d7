package io.pioreactor.leader.cluster;

import io.pioreactor.leader.limits.Throttled;
import io.pioreactor.protocol.JobState;
import io.pioreactor.protocol.Names;
import io.pioreactor.protocol.Topic;
import io.pioreactor.protocol.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live state of the units the leader hears on the broker, fed by their retained {@code monitor/*} and job topics.
 * Everything here is bounded, because anything on the broker may be a flood: every unit in the inventory, plus at most
 * {@link #MAX_STRANGERS} that are not (a newcomer waiting to be added), least recently heard first out and gone as
 * soon as they say they are lost; per unit at most {@link #MAX_JOBS_PER_UNIT} jobs and {@link #MAX_SETTINGS_PER_JOB}
 * settings. Facts are checked by kind (an IPv4 is an IPv4). Listeners hear the units that changed, coalesced: at most
 * one call per {@link #COALESCE_MS}, however many messages arrived; a change after a quiet spell is passed on at once.
 * Use from the leader's event loop.
 */
public final class LiveUnits {
  private static final Logger LOG = LoggerFactory.getLogger(LiveUnits.class);
  public static final int MAX_STRANGERS = 64;
  public static final int MAX_JOBS_PER_UNIT = 64;
  public static final int MAX_SETTINGS_PER_JOB = 32;
  static final long COALESCE_MS = 100;
  private static final Pattern MAC = Pattern.compile("^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$");
  private static final int MAX_FACT_JSON = 1_024;

  /** Monitor attributes a unit reports about itself. */
  private static final Set<String> REPORTED =
      Set.of(Topics.STATE, Topics.IPV4, Topics.WLAN_MAC, Topics.ETH_MAC, Topics.VERSIONS, Topics.MODEL);

  private final Vertx vertx;
  private final Map<String, UnitLiveState> units = new TreeMap<>();
  private final Set<String> inventory = new HashSet<>();
  /** Units heard that are not in the inventory, least recently heard first. */
  private final LinkedHashMap<String, Boolean> strangers = new LinkedHashMap<>(16, 0.75f, true);
  private final Set<String> changed = new LinkedHashSet<>();
  private final Throttled badFacts = new Throttled(LOG, "sent facts that are not what they claim to be:");
  private final Throttled tooMany = new Throttled(LOG, "is over a bound of what the leader keeps:");
  private Consumer<Set<String>> listener = u -> {};
  private JobLostListener jobLost = (unit, experiment, job, settings) -> {};
  private Consumer<String> unheardMember = u -> {};
  private boolean flushScheduled;
  private long lastFlushNs = System.nanoTime() - COALESCE_MS * 1_000_000;

  /** Called when a job's {@code $state} says {@code lost}, with the settings it had retained. */
  public interface JobLostListener {
    void lost(String unit, String experiment, String job, Set<String> settings);
  }

  public LiveUnits(Vertx vertx) {
    this.vertx = vertx;
  }

  /** {@code l} hears the units that changed since its last call (coalesced). */
  public void onChange(Consumer<Set<String>> l) {
    this.listener = l;
  }

  public void onJobLost(JobLostListener l) {
    this.jobLost = l;
  }

  /**
   * {@code l} hears a unit that has just joined the inventory but of which nothing is kept: never heard, or a
   * stranger forgotten under a flood of others. Its retained state must be read again, since the broker will not
   * repeat it unasked.
   */
  public void onUnheardMember(Consumer<String> l) {
    this.unheardMember = l;
  }

  /** Which units are in the inventory: they are always kept; the rest are strangers, bounded. */
  public void inventory(Set<String> names) {
    Set<String> unheard = new TreeSet<>(names);
    unheard.removeAll(inventory);
    unheard.removeAll(units.keySet());
    inventory.clear();
    inventory.addAll(names);
    names.forEach(strangers::remove);
    // A stranger that was just added stays (it is in the inventory now); one just removed becomes a stranger.
    for (String u : Set.copyOf(units.keySet())) {
      if (!inventory.contains(u) && !strangers.containsKey(u)) {
        strangers.put(u, Boolean.TRUE);
      }
    }
    evictStrangers();
    unheard.forEach(unheardMember);
  }

  public boolean inInventory(String unit) {
    return inventory.contains(unit);
  }

  public Optional<UnitLiveState> get(String unit) {
    return Optional.ofNullable(units.get(unit));
  }

  public Map<String, UnitLiveState> all() {
    return units;
  }

  /**
   * Applies a job's {@code $state} or setting ({@code pioreactor/<u>/<exp>/<job>/<attr>}). States: running ones are
   * kept; disconnected, lost or cleared (empty) end the job; anything else is not a state and is ignored, so a
   * garbled message cannot make a running job vanish from view. Returns false when the message was ignored.
   */
  public boolean applyJobAttribute(Topic topic, Buffer payload) {
    return applyJobAttribute(topic, payload, false);
  }

  /** {@code reading}: a measurement (stored and streamed elsewhere): its name is tracked, not its value. */
  public boolean applyJobAttribute(Topic topic, Buffer payload, boolean reading) {
    if (!topic.isJobAttribute() || topic.isBroadcast()) {
      return false;
    }
    return topic.isJobState() ? applyJobState(topic, payload) : applySetting(topic, payload, reading);
  }

  private boolean applyJobState(Topic topic, Buffer payload) {
    String text = payload.toString();
    var state = JobState.parse(text);
    if (state.isEmpty() && payload.length() > 0) {
      badFacts.refused(topic.unit(), "a job state '" + abbreviate(text) + "' for " + topic.job());
      return false;
    }
    String key = topic.experiment() + "/" + topic.job();
    boolean running = state.isPresent() && state.get() != JobState.DISCONNECTED && state.get() != JobState.LOST;
    UnitLiveState s = running ? unit(topic.unit()) : units.get(topic.unit());
    if (s == null) {
      return true; // a job that ended, of a unit we do not keep: nothing to forget
    }
    if (running && !s.jobs.containsKey(key) && s.jobs.size() >= MAX_JOBS_PER_UNIT) {
      tooMany.refused(topic.unit(), MAX_JOBS_PER_UNIT + " jobs; ignored " + key);
      return false;
    }
    String before = running ? s.jobs.put(key, text) : s.jobs.remove(key);
    if (running && before == null) {
      s.jobStarted.put(key, Instant.now());
    } else if (!running) {
      s.jobStarted.remove(key);
    }
    if (state.isPresent() && state.get() == JobState.LOST) {
      Map<String, Object> retained = s.settings.remove(key);
      jobLost.lost(topic.unit(), topic.experiment(), topic.job(), retained == null ? Set.of() : Set.copyOf(retained.keySet()));
    } else if (!running) {
      s.settings.remove(key);
    }
    if (!text.equals(before)) {
      changed(topic.unit());
    }
    return true;
  }

  private boolean applySetting(Topic topic, Buffer payload, boolean reading) {
    UnitLiveState s = units.get(topic.unit());
    String key = topic.experiment() + "/" + topic.job();
    if (s == null || (!s.jobs.containsKey(key) && !s.settings.containsKey(key))) {
      return true; // a setting of a job we do not know to run: stored in history, not tracked
    }
    String name = topic.jobAttribute();
    if (payload.length() == 0) {
      Map<String, Object> values = s.settings.get(key);
      if (values != null && values.remove(name) != null) {
        changed(topic.unit());
      }
      return true;
    }
    Map<String, Object> values = s.settings.computeIfAbsent(key, k -> new LinkedHashMap<>());
    if (!values.containsKey(name) && values.size() >= MAX_SETTINGS_PER_JOB) {
      tooMany.refused(topic.unit(), MAX_SETTINGS_PER_JOB + " settings of " + key + "; not tracking " + name);
      return true;
    }
    Object value = reading ? null : settingValue(payload);
    Object before = values.put(name, value);
    if (!java.util.Objects.equals(before, value)) {
      changed(topic.unit());
    }
    return true;
  }

  /** The self test's state and results ({@code $experiment/self_test/…}), kept after it ends; false when refused. */
  public boolean applySelfTest(Topic topic, Buffer payload) {
    if (!topic.isSelfTestAttribute() || !SelfTestState.known(topic.jobAttribute())) {
      return false; // not one of the self test's: neither shown nor stored
    }
    try {
      if (topic.isSelfTestAttribute() && !topic.isBroadcast() && unit(topic.unit()).selfTest.apply(topic.jobAttribute(), payload)) {
        changed(topic.unit());
      }
      return topic.isSelfTestAttribute();
    } catch (io.pioreactor.protocol.MalformedMessageException e) {
      badFacts.refused(topic.unit(), "self_test/" + topic.jobAttribute() + ": " + e.getMessage());
      return false;
    }
  }

  /** Bigger settings are not shown live (their name is kept, so a lost job's are still cleared). */
  static final int MAX_SETTING_CHARS = 1_024;

  /** A setting's value as the page shows it: the JSON it is (number, object, …), else its text. */
  static Object settingValue(Buffer payload) {
    if (payload.length() > MAX_SETTING_CHARS) {
      return "[" + payload.length() + " bytes, not shown]";
    }
    String text = payload.toString();
    try {
      Object v = io.vertx.core.json.Json.decodeValue(text);
      return v == null ? text : v;
    } catch (io.vertx.core.json.DecodeException e) {
      return text;
    }
  }

  /** Applies one monitor message; returns false when it was not one we understand (or not believable). */
  public boolean apply(Topic topic, Buffer payload) {
    if (!topic.isMonitor() || topic.isBroadcast()) {
      return false;
    }
    String attr = topic.attribute().orElseThrow();
    if (!REPORTED.contains(attr)) {
      return false; // e.g. the identify request the leader itself publishes
    }
    String text = payload.toString();
    String problem = problem(attr, text);
    if (problem != null) {
      badFacts.refused(topic.unit(), attr + ": " + problem);
      return false;
    }
    if (Topics.STATE.equals(attr) && gone(text) && !inventory.contains(topic.unit())) {
      // A unit that is not in the inventory and says it is gone: forgotten (it leaves discovery too).
      if (units.remove(topic.unit()) != null) {
        strangers.remove(topic.unit());
        changed(topic.unit());
      }
      return true;
    }
    UnitLiveState s = unit(topic.unit());
    switch (attr) {
      case Topics.STATE -> {
        if (text.isEmpty()) {
          s.state = null; // a cleared state topic: the unit is gone from the broker's memory
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
      case Topics.VERSIONS -> s.versions = text.isEmpty() ? null : new JsonObject(text);
      case Topics.MODEL -> s.model = text.isEmpty() ? null : new JsonObject(text);
      default -> throw new IllegalStateException("unreachable: " + attr);
    }
    if (!text.isEmpty() && !JobState.LOST.wire().equals(s.state)) {
      s.lastSeen = Instant.now();
    }
    changed(topic.unit());
    return true;
  }

  private static boolean gone(String state) {
    return state.isEmpty() || JobState.LOST.wire().equals(state) || JobState.DISCONNECTED.wire().equals(state);
  }

  /** Why a reported fact is not believable, or null. Empty always means "cleared". */
  private static String problem(String attr, String text) {
    if (text.isEmpty()) {
      return null;
    }
    return switch (attr) {
      case Topics.STATE -> JobState.parse(text).isEmpty() ? "not a state: '" + abbreviate(text) + "'" : null;
      case Topics.IPV4 -> Names.isIpv4(text) ? null : "not an IPv4 address: '" + abbreviate(text) + "'";
      case Topics.WLAN_MAC, Topics.ETH_MAC -> MAC.matcher(text).matches() ? null : "not a MAC address: '" + abbreviate(text) + "'";
      case Topics.VERSIONS, Topics.MODEL -> flatObjectProblem(text);
      default -> null;
    };
  }

  /** Versions and the model are small flat objects of short texts and numbers. */
  private static String flatObjectProblem(String text) {
    if (text.length() > MAX_FACT_JSON) {
      return "longer than " + MAX_FACT_JSON + " characters";
    }
    JsonObject o;
    try {
      o = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      return "not a JSON object";
    }
    for (String k : o.fieldNames()) {
      Object v = o.getValue(k);
      if (v != null && !(v instanceof Number) && !(v instanceof Boolean)
          && !(v instanceof String s && s.length() <= 100 && s.chars().noneMatch(Character::isISOControl))) {
        return "'" + abbreviate(k) + "' is not a short text or a number";
      }
    }
    return null;
  }

  private UnitLiveState unit(String name) {
    UnitLiveState s = units.get(name);
    if (s == null) {
      s = new UnitLiveState();
      units.put(name, s);
    }
    if (!inventory.contains(name)) {
      strangers.put(name, Boolean.TRUE); // also marks it as heard most recently
      evictStrangers();
    }
    return s;
  }

  private void evictStrangers() {
    while (strangers.size() > MAX_STRANGERS) {
      String oldest = strangers.keySet().iterator().next();
      strangers.remove(oldest);
      units.remove(oldest);
      tooMany.refused("units not in the inventory", MAX_STRANGERS + " kept; forgot " + oldest);
    }
  }

  private void changed(String unit) {
    changed.add(unit);
    if (changed.size() > inventory.size() + 2 * MAX_STRANGERS) {
      changed.removeIf(u -> !units.containsKey(u) && !inventory.contains(u)); // a flood of names: only the kept matter
    }
    if (!flushScheduled) {
      flushScheduled = true;
      long waitMs = COALESCE_MS - (System.nanoTime() - lastFlushNs) / 1_000_000;
      if (waitMs <= 0) {
        vertx.runOnContext(v -> flush()); // quiet until now: at once (after what this message does)
      } else {
        vertx.setTimer(waitMs, t -> flush());
      }
    }
  }

  private void flush() {
    flushScheduled = false;
    lastFlushNs = System.nanoTime();
    Set<String> batch = Set.copyOf(changed);
    changed.clear();
    listener.accept(batch);
  }

  private static String abbreviate(String s) {
    String flat = s.replaceAll("\\p{Cntrl}", "?");
    return flat.length() > 40 ? flat.substring(0, 40) + "…" : flat;
  }
}
