package io.pioreactor.leader.broker;

import io.pioreactor.protocol.auth.PasswordFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT broker inside the leader when no external one is configured: Apache Artemis (it passes every
 * Paho interoperability test that mosquitto passes; see docs/broker.md). A TCP listener, and a second
 * listener for browsers that Artemis serves as MQTT over WebSocket (any path, so {@code /mqtt} too).
 * Retained messages persist under the data directory, so a leader restart keeps them; the leader also
 * re-asserts its own retained state on every connect. Every client is judged by {@link UnitAcl} and every publish by
 * {@link PublishGuard}; the leader's own session signs in with a credential made here, at each start, that exists
 * only in this process ({@link #leaderCredential()}). What Artemis creates for a topic goes once nothing needs it.
 */
public final class EmbeddedBroker {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
  /** MQTT's largest keepalive: every client's own is used (1.5 × it), and a client asking for none gets this. */
  static final int SERVER_KEEPALIVE_S = 65_535;

  private final Vertx vertx;
  private final BrokerSettings settings;
  private EmbeddedActiveMQ server;
  private int port;
  private int wsPort;
  private final String leaderPassword = PasswordFile.newPassword() + PasswordFile.newPassword();

  public EmbeddedBroker(Vertx vertx, BrokerSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
  }

  /** Starts off the event loop: Artemis blocks for about half a second while it starts. */
  public Future<Void> start() {
    return vertx.executeBlocking(() -> {
      port = settings.port() == 0 ? freePort() : settings.port();
      wsPort = settings.wsPort() == 0 ? freePort() : settings.wsPort();
      EmbeddedActiveMQ s = new EmbeddedActiveMQ();
      s.setConfiguration(configuration());
      s.setSecurityManager(new UnitAcl(settings, BrokerSettings.LEADER_USER, leaderPassword));
      PublishGuard guard = new PublishGuard(settings);
      s.start();
      guard.server(s.getActiveMQServer());
      guard.count(s.getActiveMQServer().getPostOffice().getAddresses());
      s.getActiveMQServer().getRemotingService().addIncomingInterceptor(guard);
      server = s;
      LOG.info("embedded MQTT broker listening on {}:{} (WebSocket {}), credentials {}, anonymous clients {}, persistence {}",
          settings.host(), port, wsPort, settings.passwordFile() == null ? "none but the leader's" : "from " + settings.passwordFile(),
          settings.anonymousRead() ? "may read" : "refused", settings.persistence() ? "on" : "off");
      if (settings.passwordFile() != null && !Files.isReadable(settings.passwordFile())) {
        LOG.warn("the broker's password file {} cannot be read: no unit can connect until it can", settings.passwordFile());
      }
      return null;
    });
  }

  public Future<Void> stop() {
    EmbeddedActiveMQ s = server;
    server = null;
    if (s == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      // A client's DISCONNECT is processed after the client has sent it; stopping under it logs
      // spurious errors. Give the last clients a moment to go (bounded: stop must not hang).
      long deadline = System.nanoTime() + 1_000_000_000L;
      while ((s.getActiveMQServer().getConnectionCount() > 0 || !s.getActiveMQServer().getSessions().isEmpty())
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      s.stop();
      return null;
    });
  }

  public int port() {
    return port;
  }

  /** How the leader's own session signs in: [user, password], valid for this broker's lifetime only. */
  public String[] leaderCredential() {
    return new String[] {BrokerSettings.LEADER_USER, leaderPassword};
  }

  public int wsPort() {
    return wsPort;
  }

  /** Artemis itself, for the broker's tests. */
  org.apache.activemq.artemis.core.server.ActiveMQServer artemis() {
    return server.getActiveMQServer();
  }

  private Configuration configuration() throws IOException {
    Path data = settings.dataDir();
    Configuration c = new ConfigurationImpl()
        .setName("pioreactor-leader")
        .setPersistenceEnabled(settings.persistence())
        .setSecurityEnabled(true)
        // Artemis signs a session in again for every check it has not cached. Its own sign-in cache is off: it
        // would keep a removed or changed password valid for 10 s. UnitAcl remembers a verified password itself
        // until the file changes (no PBKDF2 per check); who may publish where is cached here for 10 s.
        .setAuthenticationCacheSize(0)
        .setAuthorizationCacheSize(10_000)
        // How often Artemis looks for addresses and queues nobody needs any more (below).
        .setAddressQueueScanPeriod(5_000)
        .setJMXManagementEnabled(false)
        .setCriticalAnalyzer(false)
        // Artemis would block publishers once the disk is 90 % full; a lab's SD card may well be.
        .setMaxDiskUsage(-1)
        .setGlobalMaxSize(32L * 1024 * 1024)
        .setThreadPoolMaxSize(8)
        .setScheduledThreadPoolMaxSize(2)
        .setJournalType(JournalType.NIO)
        .setJournalFileSize(1024 * 1024)
        .setJournalMinFiles(2)
        .setJournalPoolFiles(2)
        // Without the dead-letter and expiry addresses, Artemis warns on every new MQTT subscription queue; MQTT never
        // uses them. Every topic ever published gets an address with its paging store (about 12 KB): removed once
        // nothing is bound to it (a topic published again gets it back), or the broker's memory grows with every topic
        // a lab ever used; UnitAcl limits how fast anyone but the leader makes new ones.
        .addAddressSetting("#", new AddressSettings()
            .setDeadLetterAddress(SimpleString.of("DLQ"))
            .setExpiryAddress(SimpleString.of("ExpiryQueue"))
            .setAutoDeleteAddresses(true)
            .setAutoDeleteAddressesSkipUsageCheck(true)
            .setAutoDeleteAddressesDelay(30_000))
        // A retained message is a queue of one; a cleared one (empty payload) leaves an empty queue: removed too.
        .addAddressSetting(org.apache.activemq.artemis.core.protocol.mqtt.MQTTUtil.MQTT_RETAIN_ADDRESS_PREFIX + "#", new AddressSettings()
            .setDeadLetterAddress(SimpleString.of("DLQ"))
            .setExpiryAddress(SimpleString.of("ExpiryQueue"))
            .setAutoDeleteQueues(true)
            .setAutoDeleteQueuesSkipUsageCheck(true)
            .setAutoDeleteQueuesDelay(10_000)
            .setAutoDeleteAddresses(true)
            .setAutoDeleteAddressesSkipUsageCheck(true)
            .setAutoDeleteAddressesDelay(30_000));
    if (settings.persistence()) {
      Files.createDirectories(data);
      c.setJournalDirectory(data.resolve("journal").toString())
          .setBindingsDirectory(data.resolve("bindings").toString())
          .setLargeMessagesDirectory(data.resolve("large-messages").toString())
          .setPagingDirectory(data.resolve("paging").toString());
    }
    try {
      c.addAcceptorConfiguration("mqtt", acceptorUrl(port));
      c.addAcceptorConfiguration("mqtt-websocket", acceptorUrl(wsPort));
    } catch (Exception e) {
      throw new IOException("bad broker listener settings: " + e.getMessage(), e);
    }
    return c;
  }

  private String acceptorUrl(int p) {
    // Unauthorised publishes are dropped, not answered by a disconnect: what mosquitto does for MQTT 3.1.1.
    // Link stealing stays on (a unit that reconnects before the broker noticed its old session takes it over):
    // UnitAcl lets a client take over only its own sessions.
    // Each client's own keepalive, as mosquitto: Artemis's default server keepalive (60 s) cuts a client asking for more
    // after 90 s of silence, though an MQTT 3.1.1 client is never told (upstream's web app asks 120 s, so its only
    // connection dropped every 92 s); keepalive 0 (none) is then held for 65535 s, not 90.
    return "tcp://" + settings.host() + ":" + p + "?protocols=MQTT;tcpNoDelay=true;serverKeepAlive=" + SERVER_KEEPALIVE_S
        + ";maximumPacketSize=" + (settings.maxPayloadBytes() + 1024)
        + ";connectionsAllowed=" + settings.maxConnections()
        + ";closeMqttConnectionOnPublishAuthorizationFailure=false;allowLinkStealing=true";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
