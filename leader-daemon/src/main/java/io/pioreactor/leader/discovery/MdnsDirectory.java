package io.pioreactor.leader.discovery;

import io.pioreactor.protocol.Discovery;
import io.pioreactor.protocol.Names;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader on mDNS: it advertises {@code _pio-leader._tcp} (its unit, MQTT and HTTP ports) and keeps the
 * workers that advertise {@code _pio-worker._tcp}, by unit name. jmdns calls back on its own threads; the map is
 * concurrent and the listener hop back to the event loop is the caller's ({@link #onNewWorker}).
 */
public final class MdnsDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(MdnsDirectory.class);

  /** A worker seen on the network. */
  public record Seen(String unit, String ipv4, String modelName, String modelVersion, String appVersion, Instant at) {
    public JsonObject toJson() {
      return new JsonObject().put("pioreactor_unit", unit).put("ipv4_address", ipv4).put("model_name", modelName)
          .put("model_version", modelVersion).put("app_version", appVersion).put("seen_at", at.toString());
    }
  }

  private final Vertx vertx;
  private final InetAddress address;
  private final String unit;
  private final Map<String, Seen> workers = new ConcurrentHashMap<>();
  private Consumer<Seen> onNewWorker = s -> {};
  private JmDNS jmdns;

  public MdnsDirectory(Vertx vertx, InetAddress address, String unit) {
    this.vertx = vertx;
    this.address = address;
    this.unit = unit;
  }

  public MdnsDirectory onNewWorker(Consumer<Seen> listener) {
    this.onNewWorker = listener;
    return this;
  }

  public Future<Void> start(int mqttPort, int httpPort) {
    return vertx.executeBlocking(() -> {
      JmDNS j = JmDNS.create(address, unit);
      j.addServiceListener(Discovery.WORKER_SERVICE, new ServiceListener() {
        @Override
        public void serviceAdded(ServiceEvent e) {
          j.requestServiceInfo(e.getType(), e.getName(), 2000);
        }

        @Override
        public void serviceRemoved(ServiceEvent e) {
          workers.remove(e.getName());
        }

        @Override
        public void serviceResolved(ServiceEvent e) {
          record(e.getInfo());
        }
      });
      j.registerService(ServiceInfo.create(Discovery.LEADER_SERVICE, unit, mqttPort, 0, 0, Map.of(
          Discovery.TXT_UNIT, unit, Discovery.TXT_MQTT_PORT, String.valueOf(mqttPort), Discovery.TXT_HTTP_PORT, String.valueOf(httpPort))));
      jmdns = j;
      LOG.info("mDNS: advertising the leader {} on {}, watching for {}", unit, address.getHostAddress(), Discovery.WORKER_SERVICE);
      return null;
    });
  }

  private void record(ServiceInfo info) {
    String name = info.getPropertyString(Discovery.TXT_UNIT);
    if (name == null || Names.unitNameProblem(name).isPresent()) {
      return; // not one of ours, or a name we would refuse anyway
    }
    String ipv4 = info.getPropertyString(Discovery.TXT_IPV4);
    if (ipv4 == null || ipv4.isEmpty()) {
      String[] a = info.getHostAddresses();
      ipv4 = a.length > 0 ? a[0] : null;
    }
    if (ipv4 != null && !Names.isIpv4(ipv4)) {
      ipv4 = null; // an address is an address, not whatever the advertisement says
    }
    if (!workers.containsKey(name) && workers.size() >= MAX_WORKERS) {
      return; // a network advertising thousands of workers: the first MAX_WORKERS are plenty to add from
    }
    Seen s = new Seen(name, ipv4, short64(info.getPropertyString(Discovery.TXT_MODEL_NAME)),
        short64(info.getPropertyString(Discovery.TXT_MODEL_VERSION)), short64(info.getPropertyString(Discovery.TXT_APP_VERSION)),
        Instant.now());
    if (workers.put(name, s) == null) {
      vertx.runOnContext(v -> onNewWorker.accept(s));
    }
  }

  /** Workers kept from mDNS at once: anyone on the network can advertise. */
  static final int MAX_WORKERS = 1_000;

  private static String short64(String s) {
    if (s == null) {
      return null;
    }
    String flat = s.replaceAll("\\p{Cntrl}", "");
    return flat.length() <= 64 ? flat : flat.substring(0, 64);
  }

  public Map<String, Seen> workers() {
    return Map.copyOf(workers);
  }

  public Optional<Seen> find(String worker) {
    return Optional.ofNullable(workers.get(worker));
  }

  public Future<Void> close() {
    JmDNS j = jmdns;
    jmdns = null;
    if (j == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      j.unregisterAllServices();
      j.close();
      return null;
    }, false).<Void>mapEmpty().timeout(2, TimeUnit.SECONDS).recover(err -> Future.succeededFuture());
  }

  /** The address to announce on: {@code configured} (discovery.address), else this host's first IPv4, else loopback. */
  public static InetAddress address(String configured) {
    try {
      if (configured != null) {
        return java.net.InetAddress.getByName(configured); // a literal IPv4: no lookup
      }
      for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
        if (nic.isUp() && !nic.isLoopback()) {
          for (var a : java.util.Collections.list(nic.getInetAddresses())) {
            if (a instanceof java.net.Inet4Address) {
              return a;
            }
          }
        }
      }
    } catch (java.io.IOException e) {
      LOG.warn("mDNS: cannot list network interfaces: {}", e.getMessage());
    }
    return java.net.InetAddress.getLoopbackAddress();
  }
}
