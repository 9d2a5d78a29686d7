package io.pioreactor.leader.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The runner on real Vert.x timers, with sub-second times, against a small in-memory cluster. */
@ExtendWith(VertxExtension.class)
class ProfileRunTest {
  static final String PROFILE = """
      experiment_profile_name: t
      common:
        jobs:
          stirring:
            actions:
              - {type: start, t: 0.1s}
              - {type: update, t: 0.4s, options: {target_rpm: 500}}
              - {type: stop, t: 0.8s}
      pioreactors:
        w1:
          jobs:
            od_reading:
              actions:
                - {type: start, t: 0.2s}
        w3:
          jobs:
            od_reading:
              actions:
                - {type: start, t: 0.2s}
      """;

  /** A cluster: unit → (experiment, active). */
  final Map<String, Object[]> cluster = new ConcurrentHashMap<>(Map.of(
      "w1", new Object[] {"e", true}, "w2", new Object[] {"e", false}, "w3", new Object[] {null, true}, "w4", new Object[] {"e", true}));
  final List<String> acted = Collections.synchronizedList(new ArrayList<>());
  final long t0 = System.nanoTime();

  final ProfileRun.Targets targets = new ProfileRun.Targets() {
    @Override
    public Future<List<String>> activeAssigned(String experiment) {
      return Future.succeededFuture(cluster.entrySet().stream().filter(e -> experiment.equals(e.getValue()[0]) && (Boolean) e.getValue()[1])
          .map(Map.Entry::getKey).sorted().toList());
    }

    @Override
    public Future<String> whyNot(String unit, String experiment) {
      Object[] s = cluster.get(unit);
      return Future.succeededFuture(s == null ? "unknown" : !experiment.equals(s[0]) ? "not assigned" : !(Boolean) s[1] ? "inactive" : null);
    }
  };

  final ProfileRun.Actions actions = new ProfileRun.Actions() {
    @Override
    public Future<?> perform(ProfileAction a, String unit, String experiment) {
      acted.add(String.format("%s %s %s @%d", a.type().wire(), a.job(), unit, (System.nanoTime() - t0) / 1_000_000));
      return Future.succeededFuture();
    }

    @Override
    public Future<?> log(String experiment, String message) {
      return Future.succeededFuture();
    }
  };

  private static long at(String line) {
    return Long.parseLong(line.substring(line.indexOf('@') + 1));
  }

  @Test
  @DisplayName("only active assigned units act, in order and not before their time; a unit set inactive mid-run takes no further part")
  void rightUnitsRightOrderRightTime(Vertx vertx) {
    ProfileRun run = new ProfileRun(vertx, ProfileParser.parse(PROFILE), "e", targets, actions, p -> {}, m -> {});
    run.start();
    vertx.setTimer(300, t -> cluster.put("w4", new Object[] {"e", false})); // w4 turned inactive at 0.3 s
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (run.isRunning() && System.nanoTime() < deadline) {
      vertx.timer(20).await();
    }
    assertThat(run.progress().getString("state")).isEqualTo("finished");
    List<String> what = acted.stream().map(l -> l.substring(0, l.indexOf(" @"))).toList();
    assertThat(what).containsExactly("start stirring w1", "start stirring w4", "start od_reading w1", "update stirring w1", "stop stirring w1");
    assertThat(at(acted.get(0))).isGreaterThanOrEqualTo(100);
    assertThat(at(acted.get(2))).isGreaterThanOrEqualTo(200);
    assertThat(at(acted.get(3))).isGreaterThanOrEqualTo(400);
    assertThat(at(acted.get(4))).isGreaterThanOrEqualTo(800);
    assertThat(run.progress().getInteger("skipped")).isEqualTo(1); // w3's block: not assigned
    assertThat(run.progress().getInteger("actions_done")).isEqualTo(5);
  }

  @Test
  @DisplayName("stop cancels what is left; a dry run says who each action would reach now and acts on nobody")
  void stopAndDryRun(Vertx vertx) {
    ProfileRun run = new ProfileRun(vertx, ProfileParser.parse(PROFILE), "e", targets, actions, p -> {}, m -> {});
    run.start();
    vertx.timer(250).await();
    run.stop();
    int seen = acted.size();
    vertx.timer(800).await();
    assertThat(acted).hasSize(seen);
    assertThat(run.progress().getString("state")).isEqualTo("stopped");
    acted.clear();
    var plan = ProfileRun.dryRun(ProfileParser.parse(PROFILE), "e", targets).await();
    assertThat(acted).isEmpty();
    assertThat(plan.getJsonObject(0).getJsonArray("units").getList()).isEqualTo(List.of("w1", "w4"));
    assertThat(plan.stream().map(o -> ((io.vertx.core.json.JsonObject) o).getString("skipped")).filter(s -> s != null).toList())
        .containsExactly("not assigned");
    assertThat(Set.copyOf(plan.stream().map(o -> ((io.vertx.core.json.JsonObject) o).getString("type")).toList()))
        .containsExactlyInAnyOrder("start", "update", "stop");
  }
}
