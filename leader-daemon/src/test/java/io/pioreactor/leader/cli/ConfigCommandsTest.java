package io.pioreactor.leader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pioreactor.leader.LeaderVerticle;
import io.pioreactor.leader.config.LeaderConfig;
import io.pioreactor.protocol.testing.MosquittoBroker;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pio config show|set|edit} against a real leader (its verticle, a SQLite file, Debian's mosquitto, sign-in on),
 * the CLI called as its main would be; the editor is a real program ({@code $EDITOR}, a script). What the leader holds
 * afterwards is read back over its API through the CLI's own client. {@code pios sync-configs} needs workers that
 * answer: e2e-tests' ConfigSyncEndToEndTest.
 */
@ExtendWith(VertxExtension.class)
class ConfigCommandsTest {
  private static final String UNIT = "leader1"; // a fresh leader is its own first worker: in the inventory

  @TempDir
  Path dir;
  private MosquittoBroker broker;
  private Map<String, String> env;
  private LeaderClient api;

  private record Run(int exit, String out, String err) {}

  @BeforeEach
  void start(Vertx vertx) {
    broker = MosquittoBroker.start();
    JsonObject json = new JsonObject()
        .put("unit", UNIT)
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0)
            .put("auth", new JsonObject().put("username", "lab").put("password", "s3cret-pass")))
        .put("mqtt", new JsonObject().put("host", "127.0.0.1").put("port", broker.port()))
        .put("database", new JsonObject().put("path", dir.resolve("pio.sqlite").toString()));
    LeaderVerticle leader = new LeaderVerticle(LeaderConfig.fromJson(json, "ignored"));
    vertx.deployVerticle(leader).await();
    env = new HashMap<>(Map.of("PIO_LEADER_URL", "http://127.0.0.1:" + leader.httpPort(),
        "PIO_API_USERNAME", "lab", "PIO_API_PASSWORD", "s3cret-pass"));
    api = new LeaderClient(env.get("PIO_LEADER_URL"), env);
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private Run answering(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = PioCli.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env);
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Run pio(String... args) {
    return answering("", args);
  }

  private String shared() {
    return api.text("/api/config/shared");
  }

  private String specific() {
    return api.text("/api/config/units/" + UNIT + "/specific");
  }

  private int storedVersions() {
    return ((io.vertx.core.json.JsonArray) api.get("/api/config/shared/history")).size();
  }

  /** An executable script in the test's directory: the editor the CLI runs. */
  private Path script(String name, String body) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }

  /** The copy a failed edit says it kept, from its hint ("Your edit is in X: fix it, then pio config edit --from X"). */
  private static Path keptCopy(Run r) {
    Matcher m = Pattern.compile("Your edit is in (\\S+): fix it, then pio config edit --from (\\S+)").matcher(r.err());
    assertThat(m.find()).as(r.err()).isTrue();
    assertThat(m.group(2)).isEqualTo(m.group(1));
    assertThat(Path.of(m.group(1))).exists();
    return Path.of(m.group(1));
  }

  @Test
  @DisplayName("show: the shared text as the leader has it, a unit's specific text, and what the unit runs as INI")
  void show() {
    Run shared = pio("config", "show");
    assertThat(shared.exit()).as(shared.err()).isZero();
    assertThat(shared.out()).isEqualTo(shared()).contains("[stirring.config]", "initial_target_rpm=500", "[mqtt]", "; ");

    Run empty = pio("config", "show", "--unit", UNIT);
    assertThat(empty.exit()).as(empty.err()).isZero();
    assertThat(empty.out()).isEmpty();
    assertThat(empty.err()).contains("no specific configuration");

    assertThat(pio("config", "set", "--unit", UNIT, "stirring.config.initial_target_rpm", "321").exit()).isZero();
    Run merged = pio("config", "show", "--unit", UNIT, "--merged");
    assertThat(merged.exit()).as(merged.err()).isZero();
    // Sections in order, the unit's own value on top of the shared one, no comments (they are not part of the values).
    assertThat(merged.out()).startsWith("[PWM]\n1=stirring\n").contains("[stirring.config]\ninitial_target_rpm=321\n")
        .doesNotContain("initial_target_rpm=500").doesNotContain(";");
    assertThat(merged.out().indexOf("[PWM]")).isLessThan(merged.out().indexOf("[leds]"));
    assertThat(merged.out().indexOf("[leds]")).isLessThan(merged.out().indexOf("[stirring.config]"));

    assertThat(pio("config", "show", "--merged").exit()).isEqualTo(2);
    assertThat(pio("config", "show", "--unit", "no such!").exit()).isEqualTo(2);
    assertThat(pio("config", "show", "stray").exit()).isEqualTo(2);
    Run ghost = pio("config", "show", "--unit", "ghost");
    assertThat(ghost.exit()).isEqualTo(1);
    assertThat(ghost.err()).contains("ghost is not in the inventory");
  }

  @Test
  @DisplayName("set: one option changed where it is, every other line and comment kept; section names with dots; refusals store nothing")
  void set() {
    String before = shared();
    Run set = pio("config", "set", "stirring.config.initial_target_rpm", "400");
    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(set.out()).contains("[stirring.config] initial_target_rpm: 500 → 400");
    String after = shared();
    List<String> b = before.lines().toList();
    List<String> a = after.lines().toList();
    assertThat(a).hasSameSizeAs(b);
    for (int i = 0; i < b.size(); i++) {
      assertThat(a.get(i)).as("line " + (i + 1)).isEqualTo(b.get(i).equals("initial_target_rpm=500") ? "initial_target_rpm=400" : b.get(i));
    }

    Run again = pio("config", "set", "stirring.config.initial_target_rpm", "400");
    assertThat(again.exit()).isZero();
    assertThat(again.out()).contains("already");

    // A unit's own: a new section in its (empty) specific configuration.
    Run unit = pio("config", "set", "--unit", UNIT, "od_reading.config.ir_led_intensity", "auto");
    assertThat(unit.exit()).as(unit.err()).isZero();
    assertThat(unit.out()).contains(UNIT + "'s specific configuration: [od_reading.config] ir_led_intensity: (not set) → auto");
    assertThat(specific()).isEqualTo("[od_reading.config]\nir_led_intensity=auto\n");

    // Refused by the leader (out of range): its line is named, and nothing changes.
    int versions = storedVersions();
    Run refused = pio("config", "set", "stirring.config.initial_target_rpm", "99999");
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("initial_target_rpm must be a number from 0 to 5000").contains("nothing was stored");
    assertThat(shared()).isEqualTo(after);
    assertThat(storedVersions()).isEqualTo(versions);

    // Bad arguments: nothing is sent.
    assertThat(pio("config", "set", "nodot", "1").exit()).isEqualTo(2);
    assertThat(pio("config", "set", "stirring.config.", "1").exit()).isEqualTo(2);
    assertThat(pio("config", "set", "stirring.config.initial_target_rpm").exit()).isEqualTo(2);
    assertThat(pio("config", "set", "bad]section.key", "1").exit()).isEqualTo(2);
    assertThat(storedVersions()).isEqualTo(versions);
  }

  @Test
  @DisplayName("edit --from: a bad file is refused with every problem and its line, nothing stored; a good one with --yes is saved")
  void editFromFile() throws Exception {
    String before = shared();
    int versions = storedVersions();
    String bad = before.replace("initial_target_rpm=500", "initial_target_rpm=fast").replace("ir_led_intensity=80", "ir_led_intensity=900");
    Path badFile = Files.writeString(dir.resolve("bad.ini"), bad);
    Run refused = pio("config", "edit", "--from", badFile.toString(), "--yes");
    assertThat(refused.exit()).isEqualTo(1);
    int rpmLine = bad.lines().toList().indexOf("initial_target_rpm=fast") + 1;
    int ledLine = bad.lines().toList().indexOf("ir_led_intensity=900") + 1;
    assertThat(refused.err()).contains("2 problems").contains("nothing was stored")
        .contains("line " + rpmLine + ": [stirring.config] initial_target_rpm must be a number")
        .contains("| initial_target_rpm=fast")
        .contains("line " + ledLine + ": [od_reading.config] ir_led_intensity must be auto or a number from 0 to 100")
        .contains("| ir_led_intensity=900")
        .contains("pio config edit --from " + badFile);
    assertThat(refused.out()).contains("-initial_target_rpm=500", "+initial_target_rpm=fast");
    assertThat(shared()).isEqualTo(before);
    assertThat(storedVersions()).isEqualTo(versions);
    assertThat(Files.readString(badFile)).isEqualTo(bad);

    // A syntax error: the parser's line.
    Path broken = Files.writeString(dir.resolve("broken.ini"), before + "this is not ini\n");
    Run syntax = pio("config", "edit", "--from", broken.toString(), "--yes");
    assertThat(syntax.exit()).isEqualTo(1);
    assertThat(syntax.err()).contains("line " + (before.lines().count() + 1) + ": expected key=value").contains("| this is not ini");
    assertThat(storedVersions()).isEqualTo(versions);

    String good = before.replace("initial_target_rpm=500", "initial_target_rpm=450");
    Path goodFile = Files.writeString(dir.resolve("good.ini"), good);
    Run saved = pio("config", "edit", "--from", goodFile.toString(), "--yes");
    assertThat(saved.exit()).as(saved.err()).isZero();
    assertThat(saved.out()).contains("@@ ", "-initial_target_rpm=500", "+initial_target_rpm=450", "Saved the shared configuration");
    assertThat(saved.out().lines().filter(l -> l.startsWith("-") || l.startsWith("+")))
        .containsExactly("--- the shared configuration (on the leader)", "+++ " + goodFile, "-initial_target_rpm=500", "+initial_target_rpm=450");
    assertThat(shared()).isEqualTo(good);
    assertThat(storedVersions()).isEqualTo(versions + 1);

    Run same = pio("config", "edit", "--from", goodFile.toString());
    assertThat(same.exit()).isZero();
    assertThat(same.out()).contains("No changes");
    assertThat(storedVersions()).isEqualTo(versions + 1);

    assertThat(pio("config", "edit", "--from", dir.resolve("missing.ini").toString()).exit()).isEqualTo(2);
  }

  @Test
  @DisplayName("edit asks before it saves: no (or no answer) keeps the leader's text, yes saves it")
  void editAsks() throws Exception {
    String before = shared();
    Path file = Files.writeString(dir.resolve("edit.ini"), before.replace("Kp=2.6", "Kp=3.0"));
    Run no = answering("n\n", "config", "edit", "--from", file.toString());
    assertThat(no.exit()).isEqualTo(1);
    assertThat(no.out()).contains("-Kp=2.6", "+Kp=3.0", "apply? [y/N]");
    assertThat(no.err()).contains("not applied");
    assertThat(shared()).isEqualTo(before);
    Run closed = answering("", "config", "edit", "--from", file.toString());
    assertThat(closed.exit()).isEqualTo(1);
    assertThat(closed.err()).contains("--yes");
    assertThat(shared()).isEqualTo(before);
    Run yes = answering("y\n", "config", "edit", "--from", file.toString());
    assertThat(yes.exit()).as(yes.err()).isZero();
    assertThat(shared()).contains("Kp=3.0").doesNotContain("Kp=2.6");
  }

  @Test
  @DisplayName("edit in $EDITOR: the editor's change is saved; no change says so; a refused edit is kept for --from")
  void editInEditor() throws Exception {
    String before = shared();
    env.put("EDITOR", script("append-section", "printf '[cli.test]\\nfrom_editor=yes\\n' >> \"$1\"").toString());
    Run edited = pio("config", "edit", "--yes");
    assertThat(edited.exit()).as(edited.err()).isZero();
    assertThat(edited.out()).contains("+[cli.test]", "+from_editor=yes");
    assertThat(shared()).isEqualTo(before + "[cli.test]\nfrom_editor=yes\n");
    Matcher copyName = Pattern.compile("\\+\\+\\+ (\\S+)").matcher(edited.out());
    assertThat(copyName.find()).isTrue();
    assertThat(Path.of(copyName.group(1))).doesNotExist(); // the temporary copy is gone once saved

    // A unit's specific configuration, the same way.
    Run unit = pio("config", "edit", "--unit", UNIT, "--yes");
    assertThat(unit.exit()).as(unit.err()).isZero();
    assertThat(specific()).isEqualTo("[cli.test]\nfrom_editor=yes\n");

    env.put("EDITOR", "true"); // exits without touching the file
    int versions = storedVersions();
    Run unchanged = pio("config", "edit");
    assertThat(unchanged.exit()).isZero();
    assertThat(unchanged.out()).contains("No changes");
    assertThat(storedVersions()).isEqualTo(versions);

    env.put("EDITOR", script("fails", "exit 3").toString());
    Run failed = pio("config", "edit", "--yes");
    assertThat(failed.exit()).isEqualTo(1);
    assertThat(failed.err()).contains("exited with 3", "Nothing was applied");
    Files.deleteIfExists(keptCopy(failed));

    env.put("EDITOR", dir.resolve("no-such-editor").toString());
    Run missing = pio("config", "edit", "--yes");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("cannot start the editor", "$EDITOR");

    // A refused edit: the problem with its line, and the edited copy kept where it says, to fix and send with --from.
    env.put("EDITOR", script("breaks-it", "echo 'this line is not ini' >> \"$1\"").toString());
    Run refused = pio("config", "edit", "--yes");
    assertThat(refused.exit()).isEqualTo(1);
    int line = (int) shared().lines().count() + 1;
    assertThat(refused.err()).contains("line " + line + ": expected key=value", "| this line is not ini", "nothing was stored");
    Path copy = keptCopy(refused);
    assertThat(Files.readString(copy)).isEqualTo(shared() + "this line is not ini\n");
    assertThat(storedVersions()).isEqualTo(versions);
    Files.writeString(copy, Files.readString(copy).replace("this line is not ini\n", "other=1\n"));
    Run retried = pio("config", "edit", "--from", copy.toString(), "--yes");
    assertThat(retried.exit()).as(retried.err()).isZero();
    assertThat(shared()).endsWith("[cli.test]\nfrom_editor=yes\nother=1\n");
    Files.deleteIfExists(copy);
  }
}
