package io.pioreactor.leader.broker;

import io.pioreactor.protocol.testing.FreePorts;
import io.pioreactor.protocol.testing.MosquittoBroker;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A broker for the conformance tests: the embedded one, or Debian's mosquitto, optionally with auth + ACLs. */
interface BrokerUnderTest extends AutoCloseable {
  int port();

  int wsPort();

  @Override
  void close();

  /** Users for the authenticated variants: the leader (admin) and two workers. */
  List<String[]> USERS = List.of(new String[] {"leader", "leader-pass"}, new String[] {"w1", "w1-pass"},
      new String[] {"w2", "w2-pass"});

  static Path passwordFile(Path dir) throws IOException, InterruptedException {
    Path file = dir.resolve("passwd");
    boolean first = true;
    for (String[] u : USERS) {
      Process p = new ProcessBuilder(first
          ? List.of("mosquitto_passwd", "-b", "-c", file.toString(), u[0], u[1])
          : List.of("mosquitto_passwd", "-b", file.toString(), u[0], u[1])).inheritIO().start();
      if (p.waitFor() != 0) {
        throw new IOException("mosquitto_passwd failed");
      }
      first = false;
    }
    return file;
  }

  static BrokerUnderTest embedded(Vertx vertx, Path dir, boolean auth) throws Exception {
    JsonObject c = new JsonObject().put("host", "127.0.0.1").put("port", FreePorts.next()).put("ws_port", FreePorts.next())
        .put("persistence", false).put("max_payload_bytes", 64 * 1024).put("admin_users", new JsonArray().add("leader"));
    if (auth) {
      c.put("password_file", passwordFile(dir).toString());
    }
    EmbeddedBroker b = new EmbeddedBroker(vertx, BrokerSettings.fromJson(c, dir.resolve("data")));
    b.start().await();
    return new BrokerUnderTest() {
      public int port() {
        return b.port();
      }

      public int wsPort() {
        return b.wsPort();
      }

      public void close() {
        b.stop().await();
      }
    };
  }

  /** mosquitto with the same rules as conf/mosquitto: the leader reads/writes all, a unit writes only its own tree. */
  static BrokerUnderTest mosquitto(Path dir, boolean auth) throws Exception {
    List<String> extra = List.of("message_size_limit " + 64 * 1024);
    if (auth) {
      // The ACL file that scripts/install-leader installs, not a copy: the test checks the shipped rules.
      Path acl = Path.of("..", "conf", "mosquitto", "pioreactor.acl").toAbsolutePath().normalize();
      if (!Files.isRegularFile(acl)) {
        throw new IOException("conf/mosquitto/pioreactor.acl not found from " + Path.of("").toAbsolutePath());
      }
      extra = List.of("message_size_limit " + 64 * 1024, "allow_anonymous false",
          "password_file " + passwordFile(dir), "acl_file " + acl);
    }
    MosquittoBroker m = MosquittoBroker.start(extra);
    return new BrokerUnderTest() {
      public int port() {
        return m.port();
      }

      public int wsPort() {
        return m.wsPort();
      }

      public void close() {
        m.close();
      }
    };
  }
}
