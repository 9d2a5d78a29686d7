package io.pioreactor.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessagesTest {

  @Test
  @DisplayName("membership round-trips and uses upstream's field names")
  void membership() {
    Membership m = new Membership("w1", false, "exp", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z");
    JsonObject json = m.toJson();
    assertThat(json.getInteger("is_active")).isZero();
    assertThat(json.getString("pioreactor_unit")).isEqualTo("w1");
    assertThat(Membership.fromBuffer(m.toBuffer())).isEqualTo(m);
    assertThat(m.inInventory()).isTrue();
  }

  @Test
  @DisplayName("a removal is a retained membership saying in_inventory false; older payloads without it mean in")
  void removedMembership() {
    Membership removed = Membership.removed("w1", "2026-01-03T00:00:00Z");
    assertThat(removed.toJson().getBoolean("in_inventory")).isFalse();
    assertThat(Membership.fromBuffer(removed.toBuffer())).isEqualTo(removed);
    assertThat(Membership.fromBuffer(Buffer.buffer("{\"pioreactor_unit\":\"w1\",\"is_active\":1}")).inInventory()).isTrue();
  }

  @Test
  void unitFacts() {
    UnitFacts f = new UnitFacts("w1", List.of("10.0.0.2"), "pioreactor_40ml", "1.5", new JsonObject().put("app", "0.1.0"));
    assertThat(UnitFacts.fromJson(f.toJson())).isEqualTo(f);
  }

  @Test
  void commands() {
    CommandRequest r = new CommandRequest("id-1", new JsonObject().put("x", 1));
    assertThat(CommandRequest.fromBuffer(r.toBuffer())).isEqualTo(r);
    CommandReply ok = CommandReply.success("id-1", "w1", new JsonObject().put("y", 2));
    assertThat(CommandReply.fromBuffer(ok.toBuffer())).isEqualTo(ok);
    CommandReply no = CommandReply.failure("id-1", "w1", "busy");
    assertThat(CommandReply.fromBuffer(no.toBuffer()).error()).isEqualTo("busy");
  }

  @Test
  void logs() {
    LogMessage l = new LogMessage("hello", "stirring", "app", "INFO", "2026-01-01T00:00:00Z");
    assertThat(LogMessage.fromBuffer(l.toBuffer())).isEqualTo(l);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "not json", "[]", "1", "null", "\"s\"", "{", "{\"pioreactor_unit\": 3}",
      "{\"pioreactor_unit\": \"w1\", \"is_active\": \"yes\"}", "{\"pioreactor_unit\": \"w1\", \"is_active\": 2}",
      "{\"pioreactor_unit\": \"w1\", \"experiment\": []}", "\u0000\u00ff"})
  @DisplayName("malformed payloads raise MalformedMessageException, nothing else")
  void malformedMembership(String payload) {
    assertThatThrownBy(() -> Membership.fromBuffer(Buffer.buffer(payload))).isInstanceOf(MalformedMessageException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{}", "{\"id\": 1}", "{\"id\": \"a\", \"args\": []}", "[1,2]", "{\"id\": \"a\"}",
      "{\"id\": \"a\", \"args\": null}", "{\"id\": \"a\", \"pioreactor_unit\": \"w1\"}"})
  @DisplayName("a command without its args object is malformed: a stray {\"id\"} on stop_jobs must not mean stop everything")
  void malformedCommand(String payload) {
    assertThatThrownBy(() -> CommandRequest.fromBuffer(Buffer.buffer(payload))).isInstanceOf(MalformedMessageException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{}", "{\"id\": \"a\"}", "{\"id\": \"a\", \"pioreactor_unit\": \"w\", \"result\": 5}",
      "{\"id\": \"a\", \"pioreactor_unit\": \"w\", \"ok\": \"x\"}"})
  void malformedReply(String payload) {
    assertThatThrownBy(() -> CommandReply.fromBuffer(Buffer.buffer(payload))).isInstanceOf(MalformedMessageException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{}", "{\"message\": 1}", "{\"pioreactor_unit\": \"w\", \"ipv4_addresses\": \"x\"}"})
  void malformedOthers(String payload) {
    assertThatThrownBy(() -> LogMessage.fromBuffer(Buffer.buffer(payload))).isInstanceOf(MalformedMessageException.class);
  }

  @Test
  void malformedFacts() {
    assertThatThrownBy(() -> UnitFacts.fromBuffer(Buffer.buffer("{\"pioreactor_unit\": \"w\", \"ipv4_addresses\": [1]}")))
        .isInstanceOf(MalformedMessageException.class);
  }

  @Test
  @DisplayName("stop_jobs args: narrowing fields round-trip, stopping everything is said outright, anything else is malformed")
  void jobStop() {
    for (JobStop stop : List.of(JobStop.all(), new JobStop("stirring", null), new JobStop(null, "e1"), new JobStop("od_reading", "e1"))) {
      assertThat(JobStop.fromJson(stop.toJson())).isEqualTo(stop);
    }
    assertThat(JobStop.all().toJson().encode()).isEqualTo("{\"all\":true}");
    assertThat(JobStop.fromJson(new JsonObject("{\"job\": null, \"experiment\": null}")).isAll())
        .as("what leaders before JobStop sent for everything").isTrue();
    for (String bad : List.of("{}", "{\"nested\": {}}", "{\"job\": 3}", "{\"all\": \"yes\"}", "{\"all\": false}",
        "{\"all\": true, \"job\": \"stirring\"}", "{\"job\": \"stirring\", \"extra\": 1}")) {
      assertThatThrownBy(() -> JobStop.fromJson(new JsonObject(bad))).as(bad).isInstanceOf(MalformedMessageException.class);
    }
  }
  @Test
  @DisplayName("a job's source (upstream's job_source) round-trips in run_job and stop_jobs; a bad one is malformed; none means user")
  void jobSource() {
    JobRun run = new JobRun("od_reading", "e1", new JsonObject(), List.of(), JobRun.EXPERIMENT_PROFILE);
    assertThat(JobRun.fromJson(run.toJson())).isEqualTo(run);
    assertThat(new JobRun("od_reading", "e1", new JsonObject(), List.of()).sourceOrUser()).isEqualTo(JobRun.USER);
    JobStop bySource = new JobStop(null, null, JobRun.EXPERIMENT_PROFILE);
    assertThat(bySource.isAll()).isFalse();
    assertThat(JobStop.fromJson(bySource.toJson())).isEqualTo(bySource);
    for (String bad : List.of("{\"job_source\": \"Not A Source\"}", "{\"all\": true, \"job_source\": \"user\"}", "{\"job_source\": 1}")) {
      assertThatThrownBy(() -> JobStop.fromJson(new JsonObject(bad))).as(bad).isInstanceOf(MalformedMessageException.class);
    }
    assertThatThrownBy(() -> JobRun.fromJson(run.toJson().put("source", "$bad"))).isInstanceOf(MalformedMessageException.class);
  }

  @Test
  @DisplayName("self test results round-trip, its file shape is exactly at, passed and failed, and bad names or reasons are malformed")
  void selfTestResult() {
    SelfTestResult r = new SelfTestResult("2026-12-02T10:00:00Z", List.of("test_a"), List.of("test_b"), java.util.Map.of("test_b", "why"));
    assertThat(SelfTestResult.fromJson(r.toJson())).isEqualTo(r);
    assertThat(r.toFileJson().fieldNames()).containsExactlyInAnyOrder("at", "passed", "failed");
    assertThat(r.allPassed()).isFalse();
    assertThatThrownBy(() -> new SelfTestResult("2026-12-02T10:00:00Z", List.of("rm -rf"), List.of(), java.util.Map.of()))
        .isInstanceOf(MalformedMessageException.class);
    assertThatThrownBy(() -> new SelfTestResult("2026-12-02T10:00:00Z", List.of("test_a"), List.of(), java.util.Map.of("test_a", "passed tests have no reason")))
        .isInstanceOf(MalformedMessageException.class);
    assertThatThrownBy(() -> SelfTestResult.fromJson(new JsonObject().put("at", "yesterday"))).isInstanceOf(MalformedMessageException.class);
  }
}
