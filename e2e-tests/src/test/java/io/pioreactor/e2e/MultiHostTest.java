package io.pioreactor.e2e;

import io.pioreactor.protocol.testing.TestCredentials;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One leader and three workers as separate hosts: network namespaces on a bridge, each with its own address and
 * hostname. Workers have no leader configured and find it by mDNS; the leader discovers them by mDNS.
 */
class MultiHostTest {
  static final String LEADER_IP = NetworkNamespaces.SUBNET + "1";

  @TempDir
  Path dir;

  private final List<DaemonProcess> daemons = new ArrayList<>();
  private TestCredentials credentials;

  @org.junit.jupiter.api.BeforeEach
  void credentials() {
    credentials = new TestCredentials(dir.resolve("broker.passwd"));
  }

  private DaemonProcess start(List<String> host, String name, Path jar, JsonObject config) throws Exception {
    DaemonProcess d = DaemonProcess.startIn(host, dir, name, jar, config);
    daemons.add(d);
    return d;
  }

  @Test
  @DisplayName("separate hosts: mDNS both ways, add by hostname and with -a, a wrong unit at an address refused, the three topologies")
  void joinAcrossHosts() throws Exception {
    String why = NetworkNamespaces.unavailable();
    Assumptions.assumeTrue(why == null, why);
    Http http = new Http("http://" + LEADER_IP + ":8080");
    Cli cli = new Cli("http://" + LEADER_IP + ":8080");
    try (NetworkNamespaces net = new NetworkNamespaces()) {
      List<String> leaderHost = net.host("leader1", 1);
      DaemonProcess leader = start(leaderHost, "leader1", DaemonProcess.LEADER_JAR, new JsonObject() // unit: its hostname
          .put("leader_is_worker", true)
          .put("http", new JsonObject().put("host", "0.0.0.0").put("port", 8080))
          .put("broker", new JsonObject().put("host", "0.0.0.0").put("port", 1883).put("ws_port", 9001)
              .put("password_file", credentials.file.toString()))
          .put("mqtt", new JsonObject().put("keepalive_seconds", 5))
          .put("database", new JsonObject().put("path", dir.resolve("leader.sqlite").toString()))
          .put("add_timeout_seconds", 4)
          // A configured address (wrong on purpose: it is w1's) is tried before mDNS.
          .put("addresses", new JsonObject().put("w3", NetworkNamespaces.SUBNET + "11"))
          .put("discovery", new JsonObject().put("address", LEADER_IP)));
      Cluster.awaitTrue("the leader on its own host", Duration.ofSeconds(60), () -> http.get("/api/health").status() == 200, leader);

      // Single unit: the leader is its own (only) worker, with a worker daemon on the same host.
      DaemonProcess leaderWorker = start(leaderHost, "leader1-worker", DaemonProcess.WORKER_JAR, new JsonObject()
          .put("mqtt", credentials.workerMqtt("leader1", "127.0.0.1", 1883, 5))
          .put("hardware", new JsonObject().put("platform", "mock")).put("discovery", new JsonObject().put("enabled", false))
          .put("reboot_command", new JsonArray().add("true")).put("shutdown_command", new JsonArray().add("true"))
            .put("state_dir", dir.resolve("state").toString()));
      Cluster.awaitTrue("the single unit ready", Duration.ofSeconds(30),
          () -> http.get("/api/workers/leader1").body().contains("\"state\":\"ready\""), leader);
      Cli.Result single = cli.run("workers", "status");
      assertThat(single.out()).containsPattern("leader1\\s+yes \\(also a worker\\)\\s+\\S+\\s+ready").doesNotContain("w1");

      // Three workers: no mqtt.host, so each finds the leader by mDNS; each advertises itself.
      for (int i = 1; i <= 3; i++) {
        String w = "w" + i;
        start(net.host(w, 10 + i), w, DaemonProcess.WORKER_JAR, new JsonObject()
            .put("mqtt", credentials.workerMqtt(w, null, 0, 5))
            .put("hardware", new JsonObject().put("platform", "mock"))
            .put("discovery", new JsonObject().put("address", NetworkNamespaces.SUBNET + (10 + i)))
            .put("reboot_command", new JsonArray().add("true")).put("shutdown_command", new JsonArray().add("true"))
            .put("state_dir", dir.resolve("state").toString()));
      }
      Cluster.awaitTrue("w1-w3 discovered by mDNS", Duration.ofSeconds(60), () -> {
        String d = http.get("/api/workers/discover").body();
        return d.contains("\"w1\"") && d.contains("\"w2\"") && d.contains("\"w3\"") && d.contains("mdns");
      }, daemons.toArray(DaemonProcess[]::new));
      Cli.Result discovered = cli.run("workers", "discover");
      assertThat(discovered.out()).containsPattern("w1\\s+" + NetworkNamespaces.SUBNET.replace(".", "\\.") + "11");
      // w2 may have been listed from the broker first; its mDNS advertisement is heard too, in time.
      Cluster.awaitTrue("the leader heard w2 advertised by mDNS", Duration.ofSeconds(60), () -> {
        try {
          return Files.readString(dir.resolve("leader1/daemon.log")).contains("new worker on the network: w2");
        } catch (java.io.IOException e) {
          return false;
        }
      }, daemons.toArray(DaemonProcess[]::new));
      Cluster.awaitTrue("every worker found the leader by mDNS and is on its broker", Duration.ofSeconds(60), () ->
          http.get("/api/workers/discover").body().split("mdns\\+broker", -1).length == 4, daemons.toArray(DaemonProcess[]::new));

      // Add by hostname (found by mDNS), with -a, and a wrong unit at an address.
      Cli.Result byName = cli.run("workers", "add", "w1");
      assertThat(byName.exitCode()).as(byName.all()).isZero();
      Cli.Result withAddress = cli.run("workers", "add", "w2", "-a", NetworkNamespaces.SUBNET + "12");
      assertThat(withAddress.exitCode()).as(withAddress.all()).isZero();
      Cli.Result wrong = cli.run("workers", "add", "w3", "-a", NetworkNamespaces.SUBNET + "11");
      assertThat(wrong.exitCode()).isEqualTo(1);
      assertThat(wrong.all()).contains("wrong unit at address");
      Cli.Result unknown = cli.run("workers", "add", "nobody");
      assertThat(unknown.exitCode()).isEqualTo(1);
      assertThat(unknown.all()).contains("unknown host");
      Cli.Result configured = cli.run("workers", "add", "w3");
      assertThat(configured.exitCode()).isEqualTo(1);
      assertThat(configured.all()).contains("wrong unit at address").contains("configured address");
      assertThat(cli.run("workers", "add", "w3", "-a", NetworkNamespaces.SUBNET + "13").exitCode()).isZero();
      JsonObject w1 = (JsonObject) http.get("/api/workers/w1").json();
      assertThat(w1.getString("ipv4_address")).isEqualTo(NetworkNamespaces.SUBNET + "11");

      // Leader as worker with more workers.
      Cli.Result all = cli.run("workers", "status");
      assertThat(all.out()).containsPattern("leader1\\s+yes \\(also a worker\\)").contains("w1").contains("w2").contains("w3");
      assertThat(((JsonArray) http.get("/api/workers").json()).size()).isEqualTo(4);

      // Leader only: no worker daemon on it and out of its own inventory; nothing drives its LED any more.
      leaderWorker.close();
      assertThat(http.send("DELETE", "/api/workers/leader1", null).status()).isEqualTo(202);
      JsonArray units = (JsonArray) http.get("/api/units").json();
      JsonObject leaderUnit = units.stream().map(o -> (JsonObject) o).filter(o -> o.getString("pioreactor_unit").equals("leader1"))
          .findFirst().orElseThrow();
      assertThat(leaderUnit.getBoolean("is_leader")).isTrue();
      assertThat(leaderUnit.getBoolean("in_inventory")).isFalse();
      assertThat(http.send("POST", "/api/workers/leader1/blink", null).status()).isEqualTo(404);
      assertThat(cli.run("workers", "status").out()).containsPattern("leader1\\s+yes \\(leader only\\).*\\(not a worker\\)");
    } finally {
      new ArrayList<>(daemons).forEach(DaemonProcess::close);
    }
  }

  @Test
  @DisplayName("the leader moves to a new host: export, import, and the workers (finding it by mDNS) follow with their state")
  void leaderMovesToANewHost() throws Exception {
    String why = NetworkNamespaces.unavailable();
    Assumptions.assumeTrue(why == null, why);
    String newLeaderIp = NetworkNamespaces.SUBNET + "2";
    Http old = new Http("http://" + LEADER_IP + ":8080");
    Http moved = new Http("http://" + newLeaderIp + ":8080");
    Cli oldCli = new Cli("http://" + LEADER_IP + ":8080");
    Cli newCli = new Cli("http://" + newLeaderIp + ":8080");
    try (NetworkNamespaces net = new NetworkNamespaces()) {
      DaemonProcess leader1 = start(net.host("leader1", 1), "leader1", DaemonProcess.LEADER_JAR, leaderConfig("leader1.sqlite", LEADER_IP));
      Cluster.awaitTrue("the old leader", Duration.ofSeconds(60), () -> old.get("/api/health").status() == 200, leader1);
      for (int i = 1; i <= 2; i++) {
        start(net.host("w" + i, 10 + i), "w" + i, DaemonProcess.WORKER_JAR, new JsonObject()
            .put("mqtt", credentials.workerMqtt("w" + i, null, 0, 5)).put("hardware", new JsonObject().put("platform", "mock"))
            .put("discovery", new JsonObject().put("address", NetworkNamespaces.SUBNET + (10 + i))).put("reboot_command", new JsonArray().add("true")).put("shutdown_command", new JsonArray().add("true"))
            .put("state_dir", dir.resolve("state").toString()));
      }
      Cluster.awaitTrue("both workers on the old leader's broker", Duration.ofSeconds(60), () ->
          old.get("/api/workers/discover").body().split("\"pioreactor_unit\"", -1).length == 3, daemons.toArray(DaemonProcess[]::new));
      for (String w : List.of("w1", "w2")) {
        assertThat(oldCli.run("workers", "add", w).exitCode()).isZero();
      }
      assertThat(old.send("POST", "/api/experiments", "{\"experiment\": \"e1\"}").status()).isEqualTo(201);
      assertThat(old.send("PUT", "/api/experiments/e1/workers", "{\"pioreactor_unit\": \"w1\"}").status()).isEqualTo(200);
      assertThat(old.send("POST", "/api/workers/w1/jobs/run/job_name/stirring/experiments/e1", "{}").status()).isEqualTo(200);
      assertThat(old.send("POST", "/api/workers/w1/jobs/stop/job_name/stirring/experiments/e1", "{}").status()).isEqualTo(200);
      assertThat(old.send("PUT", "/api/workers/w2/is_active", "{\"is_active\": 0}").status()).isEqualTo(200);

      Path snapshot = dir.resolve("leader1-state.sqlite");
      Cli.Result export = oldCli.run("leader", "export", snapshot.toString());
      assertThat(export.exitCode()).as(export.all()).isZero();

      DaemonProcess leader2 = start(net.host("leader2", 2), "leader2", DaemonProcess.LEADER_JAR, leaderConfig("leader2.sqlite", newLeaderIp));
      Cluster.awaitTrue("the new leader", Duration.ofSeconds(60), () -> moved.get("/api/health").status() == 200, leader2);
      Files.writeString(dir.resolve("not-a-snapshot.sqlite"), "hello");
      Cli.Result bad = newCli.run("leader", "import", dir.resolve("not-a-snapshot.sqlite").toString());
      assertThat(bad.exitCode()).isEqualTo(1);
      assertThat(bad.all()).contains("not an SQLite database from a leader");
      Cli.Result imported = newCli.run("leader", "import", snapshot.toString());
      assertThat(imported.exitCode()).as(imported.all()).isZero();
      assertThat(imported.out()).contains("Imported: 2 workers");
      Cluster.awaitTrue("the new leader restarted with the old inventory", Duration.ofSeconds(60), () -> {
        Http.Response r = moved.get("/api/workers");
        return r.status() == 200 && r.body().contains("\"w1\"") && r.body().contains("\"w2\"");
      }, leader2);

      leader1.close(); // the old leader goes away; the workers find the new one by mDNS
      Cluster.awaitTrue("both workers ready on the new leader", Duration.ofSeconds(90), () -> {
        Http.Response r = moved.get("/api/workers");
        return r.status() == 200 && ((JsonArray) r.json()).stream().map(o -> (JsonObject) o)
            .filter(w -> "ready".equals(w.getString("state"))).count() == 2;
      }, daemons.toArray(DaemonProcess[]::new));
      JsonObject w1 = (JsonObject) moved.get("/api/workers/w1").json();
      assertThat(w1.getString("experiment")).isEqualTo("e1");
      assertThat(((JsonObject) moved.get("/api/workers/w2").json()).getInteger("is_active")).isZero();
      assertThat(moved.get("/api/units/w1/jobs/history").body()).contains("stirring");
      Cluster.awaitTrue("w2 knows it is inactive from the new leader", Duration.ofSeconds(10),
          () -> moved.get("/api/logs?unit=w2&limit=20").body().contains("membership: inactive"));
      assertThat(Files.list(dir).map(p -> p.getFileName().toString()).filter(n -> n.startsWith("leader2.sqlite.replaced-")).count())
          .as("the replaced database is kept").isPositive();
    } finally {
      new ArrayList<>(daemons).forEach(DaemonProcess::close);
    }
  }

  private JsonObject leaderConfig(String database, String address) {
    return new JsonObject().put("leader_is_worker", false)
        .put("http", new JsonObject().put("host", "0.0.0.0").put("port", 8080))
        .put("broker", new JsonObject().put("host", "0.0.0.0").put("port", 1883).put("ws_port", 9001)
            .put("data_dir", dir.resolve(database + ".broker").toString()).put("password_file", credentials.file.toString()))
        .put("mqtt", new JsonObject().put("keepalive_seconds", 5))
        .put("database", new JsonObject().put("path", dir.resolve(database).toString()))
        .put("add_timeout_seconds", 4)
        .put("discovery", new JsonObject().put("address", address));
  }
}
