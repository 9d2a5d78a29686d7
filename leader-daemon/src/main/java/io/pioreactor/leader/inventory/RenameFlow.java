package io.pioreactor.leader.inventory;

import io.pioreactor.leader.api.ApiException;
import io.pioreactor.leader.broker.BrokerCredentials;
import io.pioreactor.leader.cluster.CommandClient;
import io.pioreactor.protocol.Names;
import io.pioreactor.protocol.Protocol;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pio workers rename <old> <new>}: upstream's manual route (remove, rename, re-add) done for the user, with
 * one winner. A rename holds both names until it ends (another one touching either is 409); it is refused for the
 * leader, onto a name in the inventory (in any case: names are hostnames) or onto a unit online under that name.
 * The worker, online, checks that the broker takes the new name, rewrites its own config and restarts under it (or
 * goes back to its old name if it cannot); the leader adds the new name through the usual add flow and only then
 * removes the old one, so a rename that fails anywhere leaves the old worker as it was. The old name's history stays.
 * With the embedded broker the leader gives the new name the old one's password first, and takes the old one's away
 * once the rename is through.
 */
public final class RenameFlow {
  private static final Logger LOG = LoggerFactory.getLogger(RenameFlow.class);
  static final String MANUAL = "by hand: pio workers remove OLD; give NEW broker credentials and set \"unit\": \"NEW\" "
      + "(and mqtt.username) in the worker's config; restart its daemon; pio workers add NEW";

  private final Vertx vertx;
  private final InventoryService inventory;
  private final CommandClient commands;
  private final Predicate<String> online;
  private final String leaderUnit;
  private final BrokerCredentials credentials;
  private final Set<String> busy = new HashSet<>();

  public RenameFlow(Vertx vertx, InventoryService inventory, CommandClient commands, Predicate<String> online,
                    String leaderUnit, BrokerCredentials credentials) {
    this.vertx = vertx;
    this.inventory = inventory;
    this.commands = commands;
    this.online = online;
    this.leaderUnit = leaderUnit;
    this.credentials = credentials;
  }

  public Future<JsonObject> run(String old, String renamed) {
    for (String n : new String[] {old, renamed}) {
      var problem = Names.unitNameProblem(n);
      if (problem.isPresent()) {
        return Future.failedFuture(ApiException.badRequest("invalid worker name '" + n + "': " + problem.get()));
      }
    }
    if (old.equalsIgnoreCase(renamed)) {
      return Future.failedFuture(ApiException.badRequest("the new name is the old one (names are hostnames: case does not count)"));
    }
    if (old.equalsIgnoreCase(leaderUnit) || renamed.equalsIgnoreCase(leaderUnit)) {
      return Future.failedFuture(new ApiException(409, "the leader's name is not renamed from here", "validate", null,
          "a leader is renamed by moving the role: pio leader export, then install a leader under the new name (README)"));
    }
    String a = old.toLowerCase(Locale.ROOT);
    String b = renamed.toLowerCase(Locale.ROOT);
    if (busy.contains(a) || busy.contains(b)) {
      return Future.failedFuture(ApiException.conflict("a rename of " + (busy.contains(a) ? old : renamed) + " is under way"));
    }
    busy.add(a);
    busy.add(b);
    return checked(old, renamed).onComplete(done -> {
      busy.remove(a);
      busy.remove(b);
    });
  }

  private Future<JsonObject> checked(String old, String renamed) {
    String manual = MANUAL.replace("OLD", old).replace("NEW", renamed);
    return inventory.find(old).compose(oldRow -> {
      if (oldRow.isEmpty()) {
        return Future.failedFuture(ApiException.notFound(old + " is not in the inventory"));
      }
      return inventory.nameLike(renamed).compose(taken -> {
        if (taken.isPresent()) {
          return Future.failedFuture(ApiException.conflict(renamed + " is already in the inventory"
              + (taken.get().equals(renamed) ? "" : " as " + taken.get())));
        }
        if (online.test(renamed)) {
          return Future.failedFuture(new ApiException(409, "a unit named " + renamed + " is online already", "validate",
              "two daemons with one name would take each other's broker sessions", "pick another name, or stop that unit first"));
        }
        if (!online.test(old)) {
          return Future.failedFuture(new ApiException(409, old + " is not online: it must be connected to rename itself",
              "rename", null, manual));
        }
        return rename(oldRow.get(), renamed, manual);
      });
    });
  }

  private Future<JsonObject> rename(WorkerRow before, String renamed, String manual) {
    String old = before.unit();
    // Once the worker has taken the new name it may be running under it: its new credentials stay, whatever fails next.
    boolean[] taken = {false};
    return credentials.copy(old, renamed).compose(copied -> commands.request(old, Protocol.RENAME,
            new JsonObject().put("new_unit", renamed), Duration.ofSeconds(15))
        .recover(err -> Future.failedFuture(new ApiException(504, old + " did not answer the rename", "rename",
            err.getMessage(), manual)))
        .compose(reply -> reply.ok() ? Future.succeededFuture()
            : Future.failedFuture(new ApiException(409, old + " refused: " + reply.error(), "rename", null, manual)))
        .compose(v -> {
          taken[0] = true;
          return addWhenBack(new AddWorkerFlow.Request(renamed, null, before.modelName(), before.modelVersion()),
              System.nanoTime() + BACK_WITHIN.toNanos());
        })
        .compose(worker -> inventory.remove(old).map(worker))
        .compose(worker -> credentials.remove(old)
            .recover(err -> {
              LOG.warn("renamed {} to {}, but could not take {}'s broker credentials away: {}; remove them by hand "
                  + "(pio credentials)", old, renamed, old, err.getMessage());
              return Future.succeededFuture();
            })
            .map(worker))
        .map(worker -> {
          LOG.info("renamed {} to {}; {}'s history stays under its old name", old, renamed, old);
          return new JsonObject().put("status", "success").put("old", old).put("new", renamed).put("worker", worker);
        })
        .recover(err -> (copied && !taken[0] ? credentials.remove(renamed) : Future.<Void>succeededFuture())
            .transform(ignored -> Future.failedFuture(err))));
  }

  /**
   * How long a renamed worker has to come back under its new name: it restarts in a few seconds, but a Pi Zero's JVM
   * takes half a minute to start.
   */
  static final Duration BACK_WITHIN = Duration.ofSeconds(90);

  /** Retries the add while the worker does not answer yet, until {@code deadline} (System.nanoTime). */
  private Future<JsonObject> addWhenBack(AddWorkerFlow.Request req, long deadline) {
    return inventory.add(req).recover(err -> {
      if (System.nanoTime() < deadline && err instanceof ApiException a && a.status() == 504) {
        return vertx.timer(1000).compose(t -> addWhenBack(req, deadline));
      }
      return Future.failedFuture(err instanceof ApiException a
          ? new ApiException(a.status() == 504 ? 502 : a.status(), req.name() + " did not come back: " + a.getMessage(), "add",
              "the worker goes back to its old name when it cannot run under the new one; the old name stays in the inventory",
              "check the worker's log; then pio workers rename again, or " + MANUAL)
          : err);
    });
  }
}
