package io.pioreactor.leader.broker;

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
 * re-asserts its own retained state on every connect.
 */
public final class EmbeddedBroker {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

  private final Vertx vertx;
  private final BrokerSettings settings;
  private EmbeddedActiveMQ server;
  private int port;
  private int wsPort;

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
      if (settings.authenticationOn()) {
        s.setSecurityManager(new UnitAcl(PasswordFile.read(settings.passwordFile()), settings.adminUsers()));
      }
      s.start();
      s.getActiveMQServer().getRemotingService().addIncomingInterceptor(new PayloadLimit(settings.maxPayloadBytes()));
      server = s;
      LOG.info("embedded MQTT broker listening on {}:{} (WebSocket {}), authentication {}, persistence {}",
          settings.host(), port, wsPort, settings.authenticationOn() ? "on" : "off", settings.persistence() ? "on" : "off");
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

  public int wsPort() {
    return wsPort;
  }

  private Configuration configuration() throws IOException {
    Path data = settings.dataDir();
    Configuration c = new ConfigurationImpl()
        .setName("pioreactor-leader")
        .setPersistenceEnabled(settings.persistence())
        .setSecurityEnabled(settings.authenticationOn())
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
        // Without these, Artemis warns on every new MQTT subscription queue; MQTT never uses them.
        .addAddressSetting("#", new AddressSettings()
            .setDeadLetterAddress(SimpleString.of("DLQ"))
            .setExpiryAddress(SimpleString.of("ExpiryQueue")));
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
    return "tcp://" + settings.host() + ":" + p + "?protocols=MQTT;tcpNoDelay=true"
        + ";maximumPacketSize=" + (settings.maxPayloadBytes() + 1024)
        + ";closeMqttConnectionOnPublishAuthorizationFailure=false;allowLinkStealing=true";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
