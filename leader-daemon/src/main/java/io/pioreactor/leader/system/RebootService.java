package io.pioreactor.leader.system;

import io.pioreactor.leader.api.ApiException;
import io.pioreactor.leader.cluster.CommandClient;
import io.pioreactor.leader.cluster.LiveUnits;
import io.pioreactor.leader.inventory.WorkerRepository;
import io.pioreactor.protocol.CommandReply;
import io.pioreactor.protocol.JobState;
import io.pioreactor.protocol.Names;
import io.pioreactor.protocol.Protocol;
import io.pioreactor.protocol.Topics;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reboots (or powers off) one unit or every worker. Maintenance fan-outs include inactive workers (upstream's rule).
 * Replies are gathered for a few seconds so the caller hears about refusals such as the rate limit.
 */
public final class RebootService {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final WorkerRepository workers;
  private final LiveUnits live;
  private final CommandClient commands;
  private final String leaderUnit;

  public RebootService(WorkerRepository workers, LiveUnits live, CommandClient commands, String leaderUnit) {
    this.workers = workers;
    this.live = live;
    this.commands = commands;
    this.leaderUnit = leaderUnit;
  }

  public Future<JsonObject> reboot(String target) {
    return power(target, Protocol.REBOOT);
  }

  public Future<JsonObject> shutdown(String target) {
    return power(target, Protocol.SHUTDOWN);
  }

  /** {@code command}: {@link Protocol#REBOOT} or {@link Protocol#SHUTDOWN}. */
  private Future<JsonObject> power(String target, String command) {
    return expectedUnits(target)
        .compose(expected -> commands.gather(expected, command, new JsonObject(), WAIT)
            .map(replies -> {
              JsonArray results = new JsonArray();
              Set<String> answered = new TreeSet<>();
              for (CommandReply r : replies) {
                answered.add(r.unit());
                JsonObject o = new JsonObject().put("pioreactor_unit", r.unit()).put("ok", r.ok());
                if (r.error() != null) {
                  o.put("error", r.error());
                }
                results.add(o);
              }
              Set<String> silent = new TreeSet<>(expected);
              silent.removeAll(answered);
              return new JsonObject().put("unit", target).put("status", "accepted").put("results", results)
                  .put("no_answer", new JsonArray(silent.stream().toList()));
            }));
  }

  private Future<Set<String>> expectedUnits(String target) {
    if (Topics.BROADCAST.equals(target)) {
      return workers.all().map(rows -> {
        Set<String> units = new TreeSet<>();
        rows.forEach(r -> live.get(r.unit())
            .filter(s -> JobState.READY.wire().equals(s.state()))
            .ifPresent(s -> units.add(r.unit())));
        return units;
      });
    }
    var problem = Names.unitNameProblem(target);
    if (problem.isPresent()) {
      return Future.failedFuture(ApiException.badRequest("invalid unit name: " + problem.get()));
    }
    return workers.find(target).compose(row -> row.isPresent() || target.equals(leaderUnit)
        ? Future.succeededFuture(Set.of(target))
        : Future.failedFuture(ApiException.notFound(target + " is not in the inventory")));
  }
}
