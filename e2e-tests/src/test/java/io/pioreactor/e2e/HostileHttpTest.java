package io.pioreactor.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.testing.TestCredentials;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's table, the HTTP rows, against a leader configured as installed (sign-in on, Debian's mosquitto with the
 * shipped ACL, the leader's broker user with a password of its own) and real worker daemons. Races are real: twenty
 * requests at once from a thread pool. Every request must be answered, with a 4xx where it is refused, never a 5xx.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileHttpTest {
  static final Duration SOON = Duration.ofSeconds(15);
  static final String USER = "admin";
  static final String PASSWORD = "correct-horse-battery";

  @TempDir
  static Path dir;
  Cluster c;

  @BeforeAll
  void cluster() throws Exception {
    c = new Cluster(dir, false);
    c.requireSignIn(USER, PASSWORD);
    c.startLeader(false);
    for (String w : List.of("worker1", "worker2", "worker3", "newcomer")) {
      c.startWorker(w);
    }
    c.startWorker("badboot", new JsonArray().add("/nonexistent/reboot-now"));
    c.addAndAssign("e1", "worker1", "worker2", "worker3", "badboot");
  }

  @AfterAll
  void close() {
    c.close();
  }

  /** Runs {@code n} requests at once and counts their statuses. */
  private Map<Integer, Integer> atOnce(int n, IntFunction<Http.Response> request) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Http.Response>> answers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = i;
        answers.add(pool.submit(() -> request.apply(k)));
      }
      Map<Integer, Integer> statuses = new TreeMap<>();
      for (Future<Http.Response> f : answers) {
        statuses.merge(f.get(120, java.util.concurrent.TimeUnit.SECONDS).status(), 1, Integer::sum);
      }
      System.out.println(n + " at once: " + statuses);
      return statuses;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @Order(1)
  @DisplayName("row 9: a 300 MB import streams to disk (the leader stays connected and answers meanwhile) and is refused as not a snapshot; one over the size limit is refused before it is read")
  void bigImport() throws Exception {
    Path dbDir = c.database().getParent();
    Http.Response big = c.http.sendZeros("POST", "/api/leader/import", 300L * 1024 * 1024, false);
    assertThat(big.status()).as(big.body()).isEqualTo(400);
    assertThat(big.body()).contains("not an SQLite database");
    assertThat(c.http.get("/api/health").body()).contains("\"mqtt_connected\":true");
    try (var files = Files.list(dbDir)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".upload") || n.contains(".import")))
          .as("nothing left of the upload").isEmpty();
    }
    Http.Response tooBig = c.http.sendZeros("POST", "/api/leader/import", 3L * 1024 * 1024 * 1024, false);
    assertThat(tooBig.status()).as(tooBig.body()).isEqualTo(413);
    assertThat(c.daemon("leader-daemon").isAlive()).isTrue();
  }

  @Test
  @Order(2)
  @DisplayName("row 10: the shared config hands browsers the read-only web user, never the leader's broker password")
  void sharedConfig() throws Exception {
    String ini = c.http.get("/api/config/shared").body();
    assertThat(ini).contains("username=" + TestCredentials.WEB_USER)
        .contains("password=" + c.credentials.password(TestCredentials.WEB_USER))
        .doesNotContain(c.credentials.password(TestCredentials.LEADER_USER)).doesNotContain(TestCredentials.LEADER_USER);
    assertThat(c.http.as(null, null).get("/api/config/shared").status()).isEqualTo(401);
  }

  @Test
  @Order(3)
  @DisplayName("row 11: twenty renames of worker3 at once: one wins, the rest are refused; the worker ends up under exactly one name")
  void parallelRenames() throws Exception {
    for (int i = 0; i < 20; i++) {
      // With mosquitto the new name's credentials come first (pio credentials rnN --same-as worker3): worker3's password.
      c.credentials.copy("worker3", "rn" + i);
    }
    c.mosquitto().reload();
    Map<Integer, Integer> statuses = atOnce(20, i ->
        c.http.send("POST", "/api/workers/worker3/rename", new JsonObject().put("new_name", "rn" + i).encode()));
    assertThat(statuses.getOrDefault(200, 0)).as("renames that went through").isEqualTo(1);
    assertThat(statuses.getOrDefault(409, 0)).as("renames refused").isEqualTo(19);
    assertThat(statuses.keySet()).allMatch(s -> s < 500);
    JsonArray workers = (JsonArray) c.http.get("/api/workers").json();
    List<String> names = workers.stream().map(o -> ((JsonObject) o).getString("pioreactor_unit"))
        .filter(u -> u.equals("worker3") || u.startsWith("rn")).toList();
    assertThat(names).hasSize(1);
    assertThat(c.daemon("worker3").isAlive()).as("the worker daemon kept running").isTrue();
    assertThat(Files.readString(dir.resolve("worker3/config.json"))).contains("\"unit\" : \"" + names.get(0) + "\"");
    Cluster.awaitTrue(names.get(0) + " ready", SOON, () -> "ready".equals(c.retained.get(Topics.monitorState(names.get(0)))));
  }

  @Test
  @Order(4)
  @DisplayName("row 12: renaming onto a unit that is online but not in the inventory, onto the leader, or the leader itself: refused, nothing restarts")
  void renameOntoAnOnlineUnit() throws Exception {
    int from = c.seen.size();
    Http.Response r = c.http.send("POST", "/api/workers/worker2/rename", "{\"new_name\": \"newcomer\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(409);
    assertThat(r.body()).contains("online");
    assertThat(c.http.send("POST", "/api/workers/worker2/rename", "{\"new_name\": \"NEWCOMER\"}").status()).isEqualTo(409);
    assertThat(c.http.send("POST", "/api/workers/worker2/rename", "{\"new_name\": \"leader\"}").status()).isEqualTo(409);
    assertThat(c.http.send("POST", "/api/workers/leader/rename", "{\"new_name\": \"boss\"}").status()).isIn(404, 409);
    c.roundTrip("newcomer");
    c.roundTrip("worker2");
    assertThat(c.seenSince(from, Topics.monitorState("newcomer"))).doesNotContain("lost", "init");
    assertThat(c.seenSince(from, Topics.monitorState("worker2"))).doesNotContain("lost", "init");
  }

  @Test
  @Order(5)
  @DisplayName("row 13: twenty inserts of one name at once: one 201, the rest 409; twenty deletes: one 202, the rest 404; never a 5xx")
  void parallelInsertsAndDeletes() throws Exception {
    Map<Integer, Integer> puts = atOnce(20, i -> c.http.send("PUT", "/api/workers", "{\"pioreactor_unit\": \"cc1\"}"));
    assertThat(puts).containsEntry(201, 1).containsEntry(409, 19).hasSize(2);
    Map<Integer, Integer> deletes = atOnce(20, i -> c.http.send("DELETE", "/api/workers/cc1", null));
    assertThat(deletes).containsEntry(202, 1).containsEntry(404, 19).hasSize(2);
    assertThat(c.rows("SELECT * FROM workers WHERE pioreactor_unit = 'cc1'")).isEmpty();
  }

  @Test
  @Order(6)
  @DisplayName("row 14: a path parameter cannot make a request match another route; '..', ' exp1' and WORKER1 beside worker1 are refused")
  void pathsAndNames() throws Exception {
    int workers = c.rows("SELECT * FROM workers").size();
    for (String path : List.of("/api/experiments/../workers", "/api/experiments/%2e%2e/workers", "/api/experiments/%2E./workers",
        "/api/experiments/./workers")) {
      Http.Response r = c.http.send("PUT", path, "{\"pioreactor_unit\": \"sneaky\"}");
      assertThat(r.status()).as("PUT " + path + ": " + r.body()).isEqualTo(400);
    }
    assertThat(c.rows("SELECT * FROM workers")).hasSize(workers);
    for (String name : List.of("..", ".", " exp1", "exp1 ")) {
      Http.Response r = c.http.send("POST", "/api/experiments", new JsonObject().put("experiment", name).encode());
      assertThat(r.status()).as("experiment '" + name + "'").isEqualTo(400);
    }
    Http.Response upper = c.http.send("PUT", "/api/workers", "{\"pioreactor_unit\": \"WORKER1\"}");
    assertThat(upper.status()).as(upper.body()).isEqualTo(409);
    assertThat(upper.body()).contains("as worker1");
    assertThat(c.cli.run("workers", "add", "Worker2").all()).contains("already in the inventory as worker2");
  }

  @Test
  @Order(7)
  @DisplayName("row 15: a reboot whose command does not exist is reported as failed, with the reason, not as done")
  void honestReboot() throws Exception {
    Http.Response r = c.http.send("POST", "/api/units/badboot/system/reboot", null);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    JsonObject result = ((JsonObject) r.json()).getJsonArray("results").getJsonObject(0);
    assertThat(result.getBoolean("ok")).isFalse();
    assertThat(result.getString("error")).contains("did not start").contains("/nonexistent/reboot-now");
    JsonObject task = new JsonObject(c.http.get(((JsonObject) r.json()).getString("result_url_path")).body());
    assertThat(task.getJsonObject("result").getJsonObject("badboot").getBoolean("ok")).as(task.encode()).isFalse();
  }

  @Test
  @Order(8)
  @DisplayName("row 16: 300 wrong sign-ins in a burst are slowed down (429 with Retry-After) and logged; the right password works again once the wait is over")
  void signInThrottling() throws Exception {
    Http wrong = c.http.as(USER, "not-it");
    Map<Integer, Integer> statuses = atOnce(20, i -> {
      Http.Response last = null;
      for (int k = 0; k < 15; k++) {
        last = wrong.get("/api/workers");
      }
      return last;
    });
    assertThat(statuses.keySet()).containsOnly(429);
    Http.Response locked = c.http.get("/api/workers");
    assertThat(locked.status()).as("the right password, while this client must wait").isEqualTo(429);
    assertThat(locked.body()).contains("wait");
    assertThat(c.daemon("leader-daemon").log()).contains("wrong sign-ins from");
    Cluster.awaitTrue("the right password works again after the wait", Duration.ofSeconds(70),
        () -> c.http.get("/api/workers").status() == 200);
  }
}
