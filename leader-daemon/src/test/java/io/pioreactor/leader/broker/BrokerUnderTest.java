package io.pioreactor.leader.broker;

import io.pioreactor.protocol.auth.PasswordFile;
import io.pioreactor.protocol.testing.FreePorts;
import io.pioreactor.protocol.testing.MosquittoBroker;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A broker for the conformance tests, configured as we ship it: the embedded one, or Debian's mosquitto with
 * conf/mosquitto's ACL; credentials always, from one password file that this test writes with our own
 * {@link PasswordFile} (so mosquitto reading it checks that too). Anonymous clients may read when asked for.
 */
interface BrokerUnderTest extends AutoCloseable {
  int port();

  int wsPort();

  @Override
  void close();

  String[] ADMIN = {BrokerSettings.LEADER_USER, "leader-pass"};
  String[] WEB = {BrokerSettings.WEB_USER, "web-pass"};
  /** The leader (admin), the browsers' read-only user, and three units (one with a hyphen in its name). */
  List<String[]> USERS = List.of(ADMIN, WEB, new String[] {"w1", "w1-pass"}, new String[] {"w2", "w2-pass"},
      new String[] {"w1-b", "w1-b-pass"});

  static Path passwordFile(Path dir) throws IOException {
    Path file = dir.resolve("passwd");
    PasswordFile f = PasswordFile.empty();
    for (String[] u : USERS) {
      f = f.withPassword(u[0], u[1]);
    }
    f.write(file);
    return file;
  }

  static BrokerUnderTest embedded(Vertx vertx, Path dir, boolean anonymousRead) throws Exception {
    JsonObject c = new JsonObject().put("host", "127.0.0.1").put("port", FreePorts.next()).put("ws_port", FreePorts.next())
        .put("persistence", false).put("max_payload_bytes", 64 * 1024).put("password_file", passwordFile(dir).toString())
        .put("anonymous_read", anonymousRead).put("unit_publish_rate", 1_000).put("unit_publish_burst", 1_000);
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

  /** mosquitto with the shipped rules (conf/mosquitto/pioreactor.acl, the file install-leader installs, not a copy). */
  static BrokerUnderTest mosquitto(Path dir, boolean anonymousRead) throws Exception {
    Path acl = Path.of("..", "conf", "mosquitto", "pioreactor.acl").toAbsolutePath().normalize();
    if (!Files.isRegularFile(acl)) {
      throw new IOException("conf/mosquitto/pioreactor.acl not found from " + Path.of("").toAbsolutePath());
    }
    List<String> extra = new ArrayList<>(List.of("message_size_limit " + 64 * 1024,
        "allow_anonymous " + anonymousRead, "password_file " + passwordFile(dir), "acl_file " + acl));
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
