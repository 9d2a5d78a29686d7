package io.pioreactor.worker.discovery;

import io.pioreactor.protocol.Discovery;
import io.pioreactor.protocol.Protocol;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker on mDNS: it advertises {@code _pio-worker._tcp} (unit, IPv4, model, version) as upstream does, and,
 * when no broker is configured, looks for the leader's {@code _pio-leader._tcp}. jmdns blocks; every call here
 * runs off the event loop, and closing is bounded so a stop never hangs on the network.
 */
public final class Mdns {
  private static final Logger LOG = LoggerFactory.getLogger(Mdns.class);

  /** Where the leader's broker is. */
  public record Leader(String host, int mqttPort, String unit) {}

  private final Vertx vertx;
  private final InetAddress address;
  private final String unit;
  private JmDNS jmdns;

  public Mdns(Vertx vertx, InetAddress address, String unit) {
    this.vertx = vertx;
    this.address = address;
    this.unit = unit;
  }

  public Future<Void> advertise(String ipv4, String modelName, String modelVersion) {
    return vertx.executeBlocking(() -> {
      JmDNS j = open();
      j.registerService(ServiceInfo.create(Discovery.WORKER_SERVICE, unit, 0, 0, 0, Map.of(
          Discovery.TXT_UNIT, unit, Discovery.TXT_IPV4, ipv4 == null ? "" : ipv4, Discovery.TXT_MODEL_NAME, modelName,
          Discovery.TXT_MODEL_VERSION, modelVersion, Discovery.TXT_APP_VERSION, Protocol.APP_VERSION)));
      LOG.info("mDNS: advertising {} as {} on {}", unit, Discovery.WORKER_SERVICE, address.getHostAddress());
      return null;
    });
  }

  /** One look for the leader, waiting up to {@code waitMs}. */
  public Future<Optional<Leader>> findLeader(long waitMs) {
    return findLeader(waitMs, null);
  }

  /** As {@link #findLeader(long)}, passing over a leader at {@code notAt} (the one that went away, still cached). */
  public Future<Optional<Leader>> findLeader(long waitMs, String notAt) {
    return vertx.executeBlocking(() -> {
      for (ServiceInfo s : open().list(Discovery.LEADER_SERVICE, waitMs)) {
        String[] v4 = s.getHostAddresses();
        String host = v4.length > 0 ? v4[0] : null;
        int port = parse(s.getPropertyString(Discovery.TXT_MQTT_PORT), 1883);
        if (host != null && !host.equals(notAt)) {
          return Optional.of(new Leader(host, port, s.getPropertyString(Discovery.TXT_UNIT)));
        }
      }
      return Optional.empty();
    });
  }

  private synchronized JmDNS open() throws IOException {
    if (jmdns == null) {
      jmdns = JmDNS.create(address, unit);
    }
    return jmdns;
  }

  public Future<Void> close() {
    JmDNS j;
    synchronized (this) {
      j = jmdns;
      jmdns = null;
    }
    if (j == null) {
      return Future.succeededFuture();
    }
    // Goodbye packets take a few seconds; do not hold the daemon's stop for more than two.
    return vertx.executeBlocking(() -> {
      j.unregisterAllServices();
      j.close();
      return null;
    }, false).<Void>mapEmpty().timeout(2, TimeUnit.SECONDS).recover(err -> Future.succeededFuture());
  }

  private static int parse(String s, int dflt) {
    try {
      return s == null ? dflt : Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return dflt;
    }
  }
}
