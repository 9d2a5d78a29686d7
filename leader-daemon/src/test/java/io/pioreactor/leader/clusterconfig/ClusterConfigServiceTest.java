package io.pioreactor.leader.clusterconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.leader.api.ApiException;
import io.pioreactor.leader.database.Database;
import io.pioreactor.leader.inventory.WorkerRepository;
import io.pioreactor.leader.inventory.WorkerRow;
import io.pioreactor.protocol.config.ConfigRules;
import io.pioreactor.protocol.config.Ini;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster configuration's store and rules, against a real SQLite file: what is kept, what is refused (and then
 * nothing is kept), and what a unit runs with.
 */
@ExtendWith(VertxExtension.class)
class ClusterConfigServiceTest {
  private static final String WEB_USER = "pioreactor.web";
  private static final String WEB_PASSWORD = "web-secret";

  @TempDir
  Path dir;
  private Database db;
  private WorkerRepository workers;
  private ClusterConfigService configs;

  @BeforeEach
  void open(Vertx vertx) {
    db = Database.open(vertx, dir.resolve("pio.sqlite")).await();
    workers = new WorkerRepository(db.pool());
    workers.insert("w1", "2026-01-01T00:00:00Z", "pioreactor_40ml", "1.5", "10.0.0.1").await();
    workers.insert("w2", "2026-01-01T00:00:00Z", "pioreactor_40ml", "1.5", "10.0.0.2").await();
    configs = new ClusterConfigService(db.pool(), workers, seenAs -> workers.all().map(rows -> owned(seenAs, rows)), "leader1.local");
  }

  @AfterEach
  void close() {
    db.close().await();
  }

  /** The leader's own sections as LeaderOwnedSections.of makes them for a leader on a wildcard address. */
  private static LeaderOwnedSections owned(String seenAs, List<WorkerRow> rows) {
    Map<String, String> addresses = new LinkedHashMap<>();
    rows.stream().filter(r -> r.ipv4Address() != null).forEach(r -> addresses.put(r.unit(), r.ipv4Address()));
    return new LeaderOwnedSections(LeaderOwnedSections.sections("leader1", seenAs, seenAs, 1883, 9001, "ws", WEB_USER, WEB_PASSWORD),
        addresses);
  }

  /** The failure of {@code f} once it is done, or null if it succeeded. */
  private static Throwable failure(Future<?> f) {
    return f.transform(ar -> Future.succeededFuture(ar.cause())).await();
  }

  private JsonArray history() {
    return configs.sharedHistory().await();
  }

  /** The default shared configuration with one option set. */
  private static String defaultWith(String section, String key, String value) {
    return Ini.parse(DefaultSharedConfig.TEXT).with(section, key, value).text();
  }

  @Test
  @DisplayName("ensureShared stores the default shared configuration once: a second call, as at every leader start, stores nothing")
  void ensureSharedOnce() {
    configs.ensureShared().await();
    configs.ensureShared().await();
    JsonArray h = history();
    assertThat(h).hasSize(1);
    assertThat(h.getJsonObject(0).getString("filename")).isEqualTo(ClusterConfigService.SHARED).isEqualTo("config.ini");
    assertThat(h.getJsonObject(0).getString("data")).isEqualTo(DefaultSharedConfig.TEXT);
  }

  @Test
  @DisplayName("ensureShared never replaces a stored configuration with the default")
  void ensureSharedKeepsAnEdit() {
    String edit = defaultWith("stirring.config", "initial_target_rpm", "600");
    configs.updateShared(edit, "leader1.local").await();
    configs.ensureShared().await();
    assertThat(history()).hasSize(1);
    assertThat(history().getJsonObject(0).getString("data")).isEqualTo(edit);
  }

  @Test
  @DisplayName("a saved shared text is stored without the leader's values (the browsers' password, the address book); reads write them in again")
  void storedWithoutLeaderValues() {
    configs.ensureShared().await();
    String asRead = configs.shared("leader1.local").await();
    assertThat(asRead).contains(WEB_PASSWORD).contains("w1=10.0.0.1");
    configs.updateShared(Ini.parse(asRead).with("stirring.config", "initial_target_rpm", "450").text(), "leader1.local").await();
    String stored = configs.sharedHistory().await().getJsonObject(0).getString("data");
    assertThat(stored).doesNotContain(WEB_PASSWORD).doesNotContain("10.0.0.1").contains("initial_target_rpm=450");
    assertThat(configs.shared("leader1.local").await()).contains(WEB_PASSWORD).contains("w1=10.0.0.1").contains("initial_target_rpm=450");
    assertThat(configs.sharedHistory("leader1.local").await().getJsonObject(0).getString("data")).as("history as a reader gets it")
        .contains(WEB_PASSWORD);
  }

  @Test
  @DisplayName("the default shared configuration passes the rules, as complete, with the leader's sections written in")
  void defaultPasses() {
    Ini applied = owned("leader1.local", List.of()).applyTo(Ini.parse(DefaultSharedConfig.TEXT));
    assertThat(ConfigRules.problems(applied, true)).isEmpty();
  }

  @Test
  @DisplayName("the shared configuration as read is the stored text, comments kept, with the leader's own values written in for that reader")
  void sharedAsRead() {
    configs.ensureShared().await();
    String text = configs.shared("192.0.2.7").await();
    assertThat(text).contains("; which output each PWM channel drives");
    Ini ini = Ini.parse(text);
    assertThat(ini.get("cluster.topology", "leader_hostname")).contains("leader1");
    assertThat(ini.get("cluster.topology", "leader_address")).contains("192.0.2.7");
    assertThat(ini.get("mqtt", "broker_address")).contains("192.0.2.7");
    assertThat(ini.get("mqtt", "username")).contains(WEB_USER);
    assertThat(ini.get("mqtt", "password")).contains(WEB_PASSWORD);
    assertThat(ini.sections().get("cluster.addresses").options().keySet()).containsExactly("w1", "w2");
    assertThat(ini.get("cluster.addresses", "w1")).contains("10.0.0.1");
  }

  @Test
  @DisplayName("updateShared stores a new version; the history grows, newest first, in upstream's rows {filename, timestamp, data}")
  void updateSharedGrowsHistory() {
    configs.ensureShared().await();
    String first = defaultWith("stirring.config", "initial_target_rpm", "600");
    String second = defaultWith("stirring.config", "initial_target_rpm", "700");
    configs.updateShared(first, "leader1.local").await();
    configs.updateShared(second, "leader1.local").await();
    JsonArray h = history();
    assertThat(h).hasSize(3);
    assertThat(h.stream().map(o -> ((JsonObject) o).getString("data")).toList()).containsExactly(second, first, DefaultSharedConfig.TEXT);
    for (Object o : h) {
      JsonObject row = (JsonObject) o;
      assertThat(row.fieldNames()).containsExactlyInAnyOrder("filename", "timestamp", "data");
      assertThat(row.getString("filename")).isEqualTo("config.ini");
      assertThat(Instant.parse(row.getString("timestamp"))).isBeforeOrEqualTo(Instant.now());
    }
    assertThat(h.getJsonObject(0).getString("timestamp")).isGreaterThanOrEqualTo(h.getJsonObject(1).getString("timestamp"));
    assertThat(Ini.parse(configs.shared("leader1.local").await()).get("stirring.config", "initial_target_rpm")).contains("700");
  }

  @Test
  @DisplayName("an edit stored within the same second as one made on a whole second is still the newest (timestamps have one width)")
  void sameSecondOrdering() {
    Deque<Instant> times = new ArrayDeque<>(List.of(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00.500Z")));
    configs.clock(new Clock() {
      public Instant instant() {
        return times.size() > 1 ? times.poll() : times.peek();
      }

      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }
    });
    configs.ensureShared().await();
    String edit = defaultWith("stirring.config", "initial_target_rpm", "600");
    configs.updateShared(edit, "leader1.local").await();
    assertThat(history().getJsonObject(0).getString("data")).isEqualTo(edit);
    assertThat(Ini.parse(configs.shared("leader1.local").await()).get("stirring.config", "initial_target_rpm")).contains("600");
  }

  @Test
  @DisplayName("a bad edit is refused whole (400, every problem with its line in toJson) and nothing is stored")
  void badEditRefused() {
    configs.ensureShared().await();
    String bad = "[cluster.topology]\n[mqtt]\n[PWM]\n1=stirring\n2=stirring\n[stirring.config]\ninitial_target_rpm=fast\n";
    Throwable t = failure(configs.updateShared(bad, "leader1.local"));
    assertThat(t).isInstanceOf(ClusterConfigService.ConfigRefused.class);
    ClusterConfigService.ConfigRefused refused = (ClusterConfigService.ConfigRefused) t;
    assertThat(refused.status()).isEqualTo(400);
    JsonObject json = refused.toJson();
    assertThat(json.getString("error")).startsWith("line 5: [PWM]");
    assertThat(json.getInteger("status")).isEqualTo(400);
    JsonArray problems = json.getJsonArray("problems");
    assertThat(problems.stream().map(p -> ((JsonObject) p).getInteger("line")).toList()).containsExactly(5, 7);
    assertThat(problems.getJsonObject(1).getString("message")).contains("initial_target_rpm");
    assertThat(json.getString("cause")).contains("1 more problem");
    assertThat(history()).as("nothing stored").hasSize(1);
  }

  @Test
  @DisplayName("an edit that is not INI is refused at its line, and nothing is stored")
  void syntaxRefused() {
    configs.ensureShared().await();
    Throwable t = failure(configs.updateShared("[PWM]\n1=stirring\n[leds\n", "leader1.local"));
    assertThat(t).isInstanceOf(ClusterConfigService.ConfigRefused.class);
    assertThat(((ClusterConfigService.ConfigRefused) t).toJson().getJsonArray("problems").getJsonObject(0).getInteger("line")).isEqualTo(3);
    assertThat(failure(configs.updateShared(null, "leader1.local"))).isInstanceOf(ApiException.class)
        .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400));
    assertThat(history()).hasSize(1);
  }

  @Test
  @DisplayName("a problem is named at the edit's own line, though the leader's own values are written in above it")
  void linesAreTheEditors() {
    // [mqtt] first and empty: the leader's seven [mqtt] options go in after line 1, moving every line below.
    String edit = "[mqtt]\n\n[stirring.config]\ninitial_target_rpm=fast\n";
    Throwable t = failure(configs.updateShared(edit, "leader1.local"));
    assertThat(t).isInstanceOf(ClusterConfigService.ConfigRefused.class).hasMessageStartingWith("line 4: ");
  }

  @Test
  @DisplayName("an edit that leaves the leader's sections out is fine: they are written in on every read")
  void leaderSectionsLeftOut() {
    configs.updateShared("[PWM]\n1=stirring\n", "leader1.local").await();
    Ini read = Ini.parse(configs.shared("leader1.local").await());
    assertThat(read.get("PWM", "1")).contains("stirring");
    assertThat(read.get("mqtt", "broker_port")).contains("1883");
    assertThat(read.get("cluster.topology", "leader_hostname")).contains("leader1");
  }

  @Test
  @DisplayName("changing a value only the leader knows ([mqtt] broker_address) is refused naming its line and where to change it; nothing is stored")
  void leaderOwnedRefused() {
    configs.ensureShared().await();
    String text = configs.shared("leader1.local").await();
    String changed = Ini.parse(text).with("mqtt", "broker_address", "elsewhere.local").text();
    int line = Ini.parse(changed).option("mqtt", "broker_address").orElseThrow().line();
    Throwable t = failure(configs.updateShared(changed, "leader1.local"));
    assertThat(t).isInstanceOf(ApiException.class).hasMessageStartingWith("line " + line + ": [mqtt] broker_address")
        .hasMessageContaining("config file");
    assertThat(((ApiException) t).status()).isEqualTo(400);
    assertThat(history()).hasSize(1);
    configs.updateShared(text, "leader1.local").await();
    assertThat(history()).as("the text as read, saved unchanged, is fine").hasSize(2);
  }

  @Test
  @DisplayName("a shared edit that clashes with a unit's specific configuration (an output on two channels once merged) is refused, naming the unit; nothing is stored")
  void sharedClashesWithSpecific() {
    configs.ensureShared().await();
    configs.updateSpecific("w1", "[PWM]\n4=heating\n5=\n").await(); // w1 heats on channel 4, has no waste pump
    // Alone this is fine (heating on 2, media on 5); merged with w1's, heating is on 2 and 4.
    String edit = Ini.parse(DefaultSharedConfig.TEXT).with("PWM", "2", "heating").with("PWM", "5", "media").text();
    Throwable t = failure(configs.updateShared(edit, "leader1.local"));
    assertThat(t).isInstanceOf(ApiException.class).hasMessageContaining("w1").hasMessageContaining("heating");
    assertThat(((ApiException) t).status()).isEqualTo(400);
    assertThat(((ApiException) t).toJson().getString("remediation")).contains("w1");
    assertThat(history()).hasSize(1);
  }

  @Test
  @DisplayName("a unit's specific edit that clashes with the shared configuration is refused; nothing is stored")
  void specificClashesWithShared() {
    configs.ensureShared().await();
    Throwable t = failure(configs.updateSpecific("w1", "[PWM]\n4=stirring\n"));
    assertThat(t).isInstanceOf(ApiException.class).hasMessageContaining("stirring");
    assertThat(((ApiException) t).status()).isEqualTo(400);
    assertThat(configs.specificHistory("w1").await()).isEmpty();
    assertThat(configs.specific("w1").await()).isEmpty();
  }

  @Test
  @DisplayName("a unit's specific edit is checked on its own lines, and may not change the leader's values either")
  void specificRefusals() {
    Throwable bad = failure(configs.updateSpecific("w1", "[stirring.config]\n\ninitial_target_rpm=99999\n"));
    assertThat(bad).isInstanceOf(ClusterConfigService.ConfigRefused.class).hasMessageStartingWith("line 3: ");
    Throwable owned = failure(configs.updateSpecific("w1", "[mqtt]\nbroker_address=elsewhere.local\n"));
    assertThat(owned).isInstanceOf(ApiException.class).hasMessageContaining("[mqtt] broker_address");
    assertThat(configs.specificHistory("w1").await()).isEmpty();
  }

  @Test
  @DisplayName("a unit's effective configuration is the shared one with its specific one on top, option by option")
  void effectiveIsMerged() {
    configs.ensureShared().await();
    configs.updateSpecific("w1", "[stirring.config]\ninitial_target_rpm=300\n[my_plugin]\nx=1\n").await();
    Ini w1 = configs.effective("w1").await();
    assertThat(w1.get("stirring.config", "initial_target_rpm")).contains("300");
    assertThat(w1.get("PWM", "1")).as("the shared rest").contains("stirring");
    assertThat(w1.get("my_plugin", "x")).contains("1");
    Ini w2 = configs.effective("w2").await();
    assertThat(w2.get("stirring.config", "initial_target_rpm")).as("another unit: the shared value").contains("500");
    assertThat(w2.hasSection("my_plugin")).isFalse();
  }

  @Test
  @DisplayName("a unit's effective configuration has where the leader is for units, but not what is for browsers (their broker address, ports, credential) nor the address book")
  void effectiveWithoutSecrets() {
    configs.ensureShared().await();
    Ini w1 = configs.effective("w1").await();
    // (units have their own broker settings; a port that changes with a leader restart would make a new version)
    assertThat(w1.get("mqtt", "broker_address")).isEmpty();
    assertThat(w1.get("mqtt", "broker_port")).isEmpty();
    assertThat(w1.get("cluster.topology", "leader_address")).contains("leader1.local");
    assertThat(w1.get("mqtt", "username")).isEmpty();
    assertThat(w1.get("mqtt", "password")).isEmpty();
    assertThat(w1.hasSection("cluster.addresses")).isFalse();
    assertThat(w1.text()).doesNotContain(WEB_PASSWORD);
  }

  @Test
  @DisplayName("a unit's specific text cannot bring the browsers' credential or the address book into its effective configuration")
  void effectiveWithoutSecretsFromSpecific() {
    configs.ensureShared().await();
    configs.updateSpecific("w1", "[mqtt]\nusername=" + WEB_USER + "\npassword=" + WEB_PASSWORD + "\n[cluster.addresses]\nw9=10.0.0.9\n").await();
    Ini w1 = configs.effective("w1").await();
    assertThat(w1.get("mqtt", "password")).isEmpty();
    assertThat(w1.hasSection("cluster.addresses")).isFalse();
    assertThat(w1.text()).doesNotContain(WEB_PASSWORD);
  }

  @Test
  @DisplayName("a unit without a specific configuration has an empty one and no history; each edit adds a version, newest first")
  void specificHistory() {
    assertThat(configs.specific("w1").await()).isEmpty();
    assertThat(configs.specificHistory("w1").await()).isEmpty();
    configs.updateSpecific("w1", "[stirring.config]\ninitial_target_rpm=300\n").await();
    configs.updateSpecific("w1", "").await(); // every override gone
    JsonArray h = configs.specificHistory("w1").await();
    assertThat(h.stream().map(o -> ((JsonObject) o).getString("data")).toList())
        .containsExactly("", "[stirring.config]\ninitial_target_rpm=300\n");
    assertThat(h.getJsonObject(0).getString("filename")).isEqualTo("unit_config.ini::w1");
    assertThat(h.getJsonObject(0).fieldNames()).containsExactlyInAnyOrder("filename", "timestamp", "data");
    assertThat(configs.specific("w1").await()).isEmpty();
    assertThat(configs.effective("w1").await().get("stirring.config", "initial_target_rpm")).contains("500");
    assertThat(configs.specificHistory("w2").await()).as("w2's own").isEmpty();
  }

  @Test
  @DisplayName("a specific configuration of a unit not in the inventory is 404 (read, history, edit); of a name that cannot be a unit, 400")
  void specificOfStranger() {
    for (Future<?> f : List.of(configs.specific("w9"), configs.specificHistory("w9"), configs.updateSpecific("w9", "[s]\nx=1\n"))) {
      Throwable t = failure(f);
      assertThat(t).isInstanceOf(ApiException.class);
      assertThat(((ApiException) t).status()).isEqualTo(404);
    }
    Throwable t = failure(configs.specific("$broadcast"));
    assertThat(((ApiException) t).status()).isEqualTo(400);
    assertThat(db.pool().query("SELECT count(*) FROM config_files_histories").execute().await().iterator().next().getInteger(0))
        .isZero();
  }

  @Test
  @DisplayName("a unit's specific text that parses but would not merge (a section named [ ]) is refused at its line, not a 500")
  void specificThatWouldNotMerge() {
    configs.ensureShared().await();
    Throwable t = failure(configs.updateSpecific("w1", "[stirring.config]\n[ ]\nx=1\n"));
    assertThat(t).isInstanceOf(ClusterConfigService.ConfigRefused.class).hasMessageStartingWith("line 2: ");
    configs.updateSpecific("w1", "[a]b]\nx=1\n").await();
    assertThat(configs.effective("w1").await().get("a]b", "x")).contains("1");
  }

  @Test
  @DisplayName("the history lists at most MAX_HISTORY versions, the newest")
  void historyIsBounded() {
    List<Tuple> rows = new java.util.ArrayList<>();
    for (int i = 0; i < ClusterConfigService.MAX_HISTORY + 5; i++) {
      rows.add(Tuple.of(String.format("2026-01-01T00:%02d:%02d.000000Z", i / 60, i % 60), "config.ini", "[v]\nn=" + i + "\n"));
    }
    db.pool().preparedQuery("INSERT INTO config_files_histories (timestamp, filename, data) VALUES (?, ?, ?)").executeBatch(rows).await();
    JsonArray h = history();
    assertThat(h).hasSize(ClusterConfigService.MAX_HISTORY);
    assertThat(h.getJsonObject(0).getString("data")).isEqualTo("[v]\nn=" + (ClusterConfigService.MAX_HISTORY + 4) + "\n");
  }

  @Test
  @DisplayName("every stored edit runs the change hook (the deliveries re-send); a refused one does not")
  void onChange() {
    int[] changes = {0};
    configs.onChange(() -> changes[0]++);
    configs.updateShared(DefaultSharedConfig.TEXT, "leader1.local").await();
    configs.updateSpecific("w1", "").await();
    failure(configs.updateShared("[PWM]\n1=x\n2=x\n", "leader1.local"));
    failure(configs.updateSpecific("w1", "[PWM]\n9=x\n"));
    assertThat(changes[0]).isEqualTo(2);
  }
}
