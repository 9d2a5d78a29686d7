package io.pioreactor.e2e;

import io.pioreactor.protocol.testing.TestCredentials;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.pioreactor.protocol.Protocol;
import io.pioreactor.protocol.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Garbage on every topic the daemons subscribe to, bad CLI usage and bad requests: nobody crashes, nothing changes. */
class MalformedInputTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("malformed payloads on every subscribed topic are ignored, and both daemons keep working")
  void garbageEverywhere() throws Exception {
    try (Cluster c = new Cluster(dir, false)) {
      c.startLeader(false);
      c.startWorker("worker1");
      String before = c.http.get("/api/workers").body();

      Random random = new Random(7);
      byte[] noise = new byte[100_000];
      random.nextBytes(noise);
      List<Buffer> garbage = List.of(Buffer.buffer(), Buffer.buffer("{"), Buffer.buffer("[]"), Buffer.buffer("null"),
          Buffer.buffer("{\"id\": 5, \"pioreactor_unit\": []}"), Buffer.buffer("{\"pioreactor_unit\": \"worker1\", \"is_active\": \"yes\"}"),
          Buffer.buffer("$(reboot); rm -rf /"), Buffer.buffer(new byte[] {(byte) 0xff, (byte) 0xfe, 0}), Buffer.buffer(noise));
      List<String> topics = new ArrayList<>(List.of(
          // the worker's
          Topics.command("worker1", Protocol.HANDSHAKE), Topics.command("worker1", Protocol.REBOOT),
          Topics.command("worker1", "no-such-command"), Topics.command(Topics.BROADCAST, Protocol.HANDSHAKE),
          Topics.flickerLed("worker1"),
          // the leader's
          Topics.commandReply("worker1", Protocol.HANDSHAKE), Topics.log("worker1", "exp", "app", "info"),
          Topics.job("worker1", "exp", "stirring", Topics.STATE)));
      for (String attr : List.of(Topics.STATE, Topics.VERSIONS, Topics.IPV4, Topics.MODEL, Topics.WLAN_MAC)) {
        topics.add(Topics.monitor("ghost", attr));
      }
      Vertx vertx = Vertx.vertx();
      // Each topic from whoever may publish there (else the broker drops it before any daemon sees it).
      MqttClient asUnit = MqttFuzzer.client(vertx, c, "worker1", "worker1-garbage");
      MqttClient attacker = MqttFuzzer.client(vertx, c, TestCredentials.LEADER_USER, "garbage");
      int sent = 0;
      for (String t : topics) {
        for (Buffer g : garbage) {
          MqttFuzzer.publishAcked(io.pioreactor.protocol.PublishRules.unitMayPublish("worker1", t) ? asUnit : attacker, t, g);
          sent++;
        }
      }
      // Non-retained garbage on the assignment topic (retained garbage would be a denial of service the
      // ACL prevents in production: only the leader may write there).
      for (Buffer g : garbage) {
        attacker.publish(Topics.assignment("worker1"), g.length() == 0 ? Buffer.buffer("x") : g, MqttQoS.AT_LEAST_ONCE, false, false).await();
        sent++;
      }
      attacker.disconnect().await();
      asUnit.disconnect().await();
      vertx.close().await();
      System.out.println("published " + sent + " malformed messages");

      assertThat(c.daemon("leader-daemon").isAlive()).isTrue();
      assertThat(c.daemon("worker1").isAlive()).isTrue();
      assertThat(c.http.get("/api/health").status()).isEqualTo(200);
      // The worker still answers: the add's handshake works.
      Http.Response add = c.http.send("POST", "/api/workers/setup", "{\"name\": \"worker1\"}");
      assertThat(add.status()).as(add.body()).isEqualTo(200);
      assertThat(before).isEqualTo("[]");
    }
  }

  @Test
  @DisplayName("the CLI answers bad usage with exit code 2 and sends nothing; a refusal exits 1; no leader exits 3")
  void cliExitCodes() throws Exception {
    try (Cluster c = new Cluster(dir, true)) {
      c.startLeader(false);
      assertThat(c.cli.run().exitCode()).isEqualTo(2);
      assertThat(c.cli.run("frobnicate").exitCode()).isEqualTo(2);
      assertThat(c.cli.run("workers", "add").exitCode()).isEqualTo(2);
      assertThat(c.cli.run("workers", "add", "w1;reboot").exitCode()).isEqualTo(2);
      assertThat(c.cli.run("workers", "add", "w1", "-a", "999.1.1.1").exitCode()).isEqualTo(2);
      assertThat(c.cli.run("workers", "update-active", "w1", "yes").exitCode()).isEqualTo(2);
      assertThat(c.cli.run("experiments", "create", "a/b").exitCode()).isEqualTo(2);
      assertThat(c.cli.run("workers", "remove", "nobody").exitCode()).isEqualTo(1);
      assertThat(c.rows("SELECT * FROM workers")).isEmpty();
      assertThat(c.rows("SELECT * FROM experiments")).isEmpty();
      assertThat(new Cli("http://127.0.0.1:1").run("workers", "status").exitCode()).isEqualTo(3);
    }
  }
}
