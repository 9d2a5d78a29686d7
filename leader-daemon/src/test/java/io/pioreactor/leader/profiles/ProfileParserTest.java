package io.pioreactor.leader.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ProfileParserTest {
  static final String UPSTREAM_STYLE = """
      version: "1.0"
      experiment_profile_name: demo stirring
      metadata:
        author: Cam
        description: stir, then faster, then stop
      common:
        jobs:
          stirring:
            actions:
              - type: start
                t: 0
                options:
                  target_rpm: 400
              - type: update
                t: 2m
                options:
                  target_rpm: 500
              - type: stop
                hours_elapsed: 0.5
      pioreactors:
        worker1:
          label: the blue one
          jobs:
            od_reading:
              actions:
                - type: start
                  t: 30s
                - type: log
                  t: 1.5h
                  options:
                    message: "halfway"
      """;

  @Test
  @DisplayName("upstream's format: common and per-unit jobs, t in hours or with units, hours_elapsed; actions in time order")
  void parsesUpstreamStyle() {
    ExperimentProfile p = ProfileParser.parse(UPSTREAM_STYLE);
    assertThat(p.name()).isEqualTo("demo stirring");
    assertThat(p.description()).isEqualTo("stir, then faster, then stop");
    assertThat(p.actions()).extracting(a -> a.type().wire() + " " + a.job() + " " + (a.isCommon() ? "common" : a.unit()) + " " + a.atMillis())
        .containsExactly("start stirring common 0", "start od_reading worker1 30000", "update stirring common 120000",
            "stop stirring common 1800000", "log od_reading worker1 5400000");
    assertThat(p.actions().get(0).options().getLong("target_rpm")).isEqualTo(400L);
  }

  @Test
  @DisplayName("the example profile in docs/examples parses (the README runs it)")
  void example() throws Exception {
    ExperimentProfile p = ProfileParser.parse(java.nio.file.Files.readString(java.nio.file.Path.of("../docs/examples/profile.yaml")));
    assertThat(p.name()).isEqualTo("demo growth");
    assertThat(p.actions()).hasSize(10);
  }

  @Test
  @DisplayName("times: hours, 30s, 2m, 1.5h, 2d; negative, unknown units and absurd values refused")
  void durations() {
    assertThat(Durations.toMillis(1.5)).isEqualTo(5_400_000);
    assertThat(Durations.toMillis("30s")).isEqualTo(30_000);
    assertThat(Durations.toMillis("2m")).isEqualTo(120_000);
    assertThat(Durations.toMillis("1.5h")).isEqualTo(5_400_000);
    assertThat(Durations.toMillis("2d")).isEqualTo(172_800_000);
    assertThat(Durations.toMillis("0.25")).isEqualTo(900_000);
    for (Object bad : new Object[] {-1, "3w", "soon", "-2m", 100_000, true}) {
      assertThatThrownBy(() -> Durations.toMillis(bad)).as(String.valueOf(bad)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  @DisplayName("every malformed profile is refused with the line where the problem is")
  void malformed() {
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put("experiment_profile_name: x\ncommon:\n  jobs:\n    stirring:\n      actions:\n        - type: start\n          t: 0\n          optons: {}\n",
        "line 8, column 11: unknown field 'optons' in an action");
    cases.put("experiment_profile_name: x\ncommon:\n  jobs:\n    stirring:\n      actions:\n        - t: 0\n",
        "line 6, column 11: an action of stirring needs a 'type'");
    cases.put("experiment_profile_name: x\ncommon:\n  jobs:\n    stirring:\n      actions:\n        - type: explode\n          t: 0\n",
        "line 6, column 17: unknown action type 'explode'");
    cases.put("experiment_profile_name: x\ncommon:\n  jobs:\n    stirring:\n      actions:\n        - type: start\n          t: 5x\n",
        "line 7, column 14: '5x' is not a time");
    cases.put("experiment_profile_name: x\ncommon:\n  jobs:\n    stirring:\n      actions:\n        - type: start\n          t: 0\n          hours_elapsed: 1\n",
        "line 6, column 11: give each action exactly one of 't' or 'hours_elapsed'");
    cases.put("experiment_profile_name: x\ncommon:\n  jobs:\n    stirring:\n      actions:\n        - type: update\n          t: 1\n",
        "line 6, column 11: an 'update' needs options");
    cases.put("experiment_profile_name: x\ncommon:\n  jobs:\n    stirring:\n      actions:\n        - type: log\n          t: 1\n",
        "a 'log' needs options.message");
    cases.put("experiment_profile_name: x\npioreactors:\n  bad name!:\n    jobs: {}\n", "line 3, column 3: 'bad name!' is not a worker name");
    cases.put("experiment_profile_name: x\ncommon:\n  jobs:\n    Stirring:\n      actions: []\n", "line 4, column 5: 'Stirring' is not a job name");
    cases.put("experiment_profile_name: x\ncommmon:\n  jobs: {}\n", "line 2, column 1: unknown field 'commmon' in the profile");
    cases.put("experiment_profile_name: x\ncommon:\n  jobs:\n    stirring:\n      actions: start\n", "line 5, column 16: 'actions' of stirring must be a list");
    cases.put("experiment_profile_name: x\ncommon:\n  jobs:\n    stirring:\n      actions:\n        - type: start\n          t: 0\n          options: [1]\n",
        "line 8, column 20: 'options' must be a mapping");
    cases.put("common:\n  jobs: {}\n", "'experiment_profile_name' is required");
    cases.put("experiment_profile_name: x\n", "the profile has no actions");
    cases.put("experiment_profile_name: x\ncommon: [\n", "not valid YAML");
    cases.put("experiment_profile_name: x\nexperiment_profile_name: y\n", "line 2, column 1: 'experiment_profile_name' appears twice");
    cases.put("version: \"2.0\"\nexperiment_profile_name: x\n", "line 1, column 10: version '2.0' is not supported");
    cases.put("", "the profile is empty");
    cases.put("x".repeat(ProfileParser.MAX_CHARS + 1), "larger than");
    cases.forEach((yaml, expected) -> assertThatThrownBy(() -> ProfileParser.parse(yaml)).as(yaml)
        .isInstanceOf(ProfileException.class).hasMessageContaining(expected));
  }
}
