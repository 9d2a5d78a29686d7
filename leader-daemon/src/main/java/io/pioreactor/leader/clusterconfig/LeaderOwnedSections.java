package io.pioreactor.leader.clusterconfig;

import io.pioreactor.protocol.config.ConfigRules;
import io.pioreactor.protocol.config.Ini;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the shared configuration says that only the leader knows: where the leader and the broker are, and the
 * read-only broker user browsers sign in with ({@code [cluster.topology]}, {@code [mqtt]}), and the units' addresses
 * ({@code [cluster.addresses]}, from the inventory). They come from the leader's own config file and inventory, so
 * every read writes them in afresh; an edit may not change them (it is refused with the line, and where to change it).
 *
 * @param forBrowser values for a reader who reached the leader at a given address: section → key → value
 */
public record LeaderOwnedSections(Map<String, Map<String, String>> forBrowser, Map<String, String> addresses) {

  /**
   * Keys of {@code [mqtt]} a unit is not sent: the browsers' credential, and where browsers find the broker (units
   * have their own broker settings in their own file; ports that change with a restart would make a new version).
   */
  /** Never quoted in a message: the browsers' broker credential. */
  static final List<String> BROWSER_CREDENTIAL = List.of("username", "password");

  static final List<String> BROWSER_ONLY = List.of("username", "password", "broker_address", "broker_port", "broker_ws_port",
      "ws_protocol", "use_tls");

  /** {@code ini} with the leader's values written in (every other line as it was). */
  public Ini applyTo(Ini ini) {
    Ini out = ini;
    for (var section : forBrowser.entrySet()) {
      for (var kv : section.getValue().entrySet()) {
        out = out.with(section.getKey(), kv.getKey(), kv.getValue());
      }
    }
    // The address book in one edit: a thousand units must not cost a thousand re-parses.
    return out.withSection(ConfigRules.ADDRESSES, addresses);
  }

  /**
   * {@code ini} without the leader's values (its sections' headers stay): what is stored, so the history holds the
   * lab's text and not the browsers' credential or an old address book; every read writes them in again.
   */
  public Ini removeFrom(Ini ini) {
    Ini out = ini;
    for (var section : forBrowser.entrySet()) {
      for (String key : section.getValue().keySet()) {
        out = out.without(section.getKey(), key);
      }
    }
    if (out.hasSection(ConfigRules.ADDRESSES)) {
      for (String key : List.copyOf(out.sections().get(ConfigRules.ADDRESSES).options().keySet())) {
        out = out.without(ConfigRules.ADDRESSES, key);
      }
    }
    return out;
  }

  /**
   * The first option of {@code edited} that says something else than the leader would: its line and where to change
   * it, or null. Options left out are fine (they are written in on every read).
   */
  public String conflict(Ini edited) {
    for (var section : forBrowser.entrySet()) {
      for (var kv : section.getValue().entrySet()) {
        var o = edited.option(section.getKey(), kv.getKey());
        if (o.isPresent() && !o.get().value().equals(kv.getValue())) {
          boolean secret = BROWSER_CREDENTIAL.contains(kv.getKey());
          return "line " + o.get().line() + ": [" + section.getKey() + "] " + kv.getKey() + " is the leader's own"
              + (secret ? "" : " (" + kv.getValue() + ")") + ", from its config file: change it there (docs/config.md), not here";
        }
      }
    }
    return null;
  }

  /** Units get everything but what is for browsers and the address book (which changes whenever an IP does). */
  public static Ini forUnits(Ini browserView) {
    StringBuilder text = new StringBuilder();
    Ini cleaned = browserView;
    // Rebuilt without the browser-only keys and [cluster.addresses]: simplest as a fresh text of what is kept.
    for (var s : cleaned.sections().values()) {
      if (s.name().equals(ConfigRules.ADDRESSES)) {
        continue;
      }
      text.append('[').append(s.name()).append("]\n");
      for (var o : s.options().values()) {
        if (s.name().equals(ConfigRules.MQTT) && BROWSER_ONLY.contains(o.key())) {
          continue;
        }
        String[] lines = o.value().split("\n", -1);
        text.append(o.key()).append('=').append(lines[0]).append('\n');
        for (int i = 1; i < lines.length; i++) {
          text.append("    ").append(lines[i]).append('\n');
        }
      }
      text.append('\n');
    }
    return Ini.parse(text.toString());
  }

  /**
   * From the leader's config: addresses that only make sense on the leader itself (a wildcard or loopback listener)
   * become {@code seenAs}, the address the reader reached the leader at. Browsers get the read-only web user
   * ({@code web_mqtt}), never the leader's own credentials.
   */
  public static LeaderOwnedSections of(io.pioreactor.leader.config.LeaderConfig config, int brokerPort, int brokerWsPort,
                                       List<io.pioreactor.leader.inventory.WorkerRow> rows, String seenAs) {
    String brokerHost = config.embeddedBroker() ? config.broker().host() : config.mqtt().host();
    String brokerAddress = config.webMqtt().getString("address", local(brokerHost) ? seenAs : brokerHost);
    String leaderAddress = local(config.httpHost()) ? seenAs : config.httpHost();
    Map<String, String> addresses = new LinkedHashMap<>();
    rows.stream().filter(w -> w.ipv4Address() != null).forEach(w -> addresses.put(w.unit(), w.ipv4Address()));
    return new LeaderOwnedSections(sections(config.unit(), leaderAddress, brokerAddress,
        config.embeddedBroker() ? brokerPort : config.mqtt().port(),
        config.webMqtt().getInteger("ws_port", config.embeddedBroker() ? brokerWsPort : config.externalWsPort()),
        config.webMqtt().getString("ws_protocol", "ws"), config.webMqtt().getString("username"),
        config.webMqtt().getString("password")), addresses);
  }

  private static boolean local(String host) {
    return host == null || List.of("0.0.0.0", "::", "127.0.0.1", "::1", "localhost").contains(host);
  }

  static Map<String, Map<String, String>> sections(String leaderHostname, String leaderAddress, String brokerAddress,
                                                   int brokerPort, int wsPort, String wsProtocol, String user, String password) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    Map<String, String> topology = new LinkedHashMap<>();
    topology.put("leader_hostname", leaderHostname);
    topology.put("leader_address", oneLine(leaderAddress));
    out.put(ConfigRules.TOPOLOGY, topology);
    Map<String, String> mqtt = new LinkedHashMap<>();
    mqtt.put("broker_address", oneLine(brokerAddress));
    mqtt.put("broker_port", String.valueOf(brokerPort));
    mqtt.put("broker_ws_port", String.valueOf(wsPort));
    mqtt.put("ws_protocol", oneLine(wsProtocol));
    mqtt.put("username", oneLine(user));
    mqtt.put("password", oneLine(password));
    mqtt.put("use_tls", "0");
    out.put(ConfigRules.MQTT, mqtt);
    return out;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("[\\r\\n]", "");
  }
}
