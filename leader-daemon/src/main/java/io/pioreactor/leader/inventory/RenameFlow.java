package io.pioreactor.leader.inventory;

import io.pioreactor.leader.api.ApiException;
import io.pioreactor.leader.cluster.CommandClient;
import io.pioreactor.protocol.Names;
import io.pioreactor.protocol.Protocol;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pio workers rename <old> <new>}: upstream's manual route (remove, rename, re-add) done for the user.
 * The worker, online, rewrites its own config and restarts under the new name; the leader then removes the old
 * name (its history stays under it) and adds the new one through the usual add flow, so it starts clean.
 */
public final class RenameFlow {
  private static final Logger LOG = LoggerFactory.getLogger(RenameFlow.class);
  static final String MANUAL = "by hand: pio workers remove OLD; set \"unit\": \"NEW\" in the worker's config (or its hostname) "
      + "and restart its daemon; pio workers add NEW";

  private final Vertx vertx;
  private final InventoryService inventory;
  private final CommandClient commands;
  private final Predicate<String> online;

  public RenameFlow(Vertx vertx, InventoryService inventory, CommandClient commands, Predicate<String> online) {
    this.vertx = vertx;
    this.inventory = inventory;
    this.commands = commands;
    this.online = online;
  }

  public Future<JsonObject> run(String old, String renamed) {
    for (String n : new String[] {old, renamed}) {
      var problem = Names.unitNameProblem(n);
      if (problem.isPresent()) {
        return Future.failedFuture(ApiException.badRequest("invalid worker name '" + n + "': " + problem.get()));
      }
    }
    if (old.equals(renamed)) {
      return Future.failedFuture(ApiException.badRequest("the new name is the old one"));
    }
    String manual = MANUAL.replace("OLD", old).replace("NEW", renamed);
    return inventory.find(old).compose(oldRow -> {
      if (oldRow.isEmpty()) {
        return Future.failedFuture(ApiException.notFound(old + " is not in the inventory"));
      }
      return inventory.find(renamed).compose(newRow -> {
        if (newRow.isPresent()) {
          return Future.failedFuture(ApiException.conflict(renamed + " is already in the inventory"));
        }
        if (!online.test(old)) {
          return Future.failedFuture(new ApiException(409, old + " is not online: it must be connected to rename itself",
              "rename", null, manual));
        }
        WorkerRow before = oldRow.get();
        return commands.request(old, Protocol.RENAME, new JsonObject().put("new_unit", renamed), Duration.ofSeconds(10))
            .recover(err -> Future.failedFuture(new ApiException(504, old + " did not answer the rename", "rename",
                err.getMessage(), manual)))
            .compose(reply -> reply.ok() ? Future.succeededFuture()
                : Future.failedFuture(new ApiException(409, old + " refused: " + reply.error(), "rename", null, manual)))
            .compose(v -> inventory.remove(old))
            .compose(v -> addWhenBack(new AddWorkerFlow.Request(renamed, null, before.modelName(), before.modelVersion()), 8))
            .map(worker -> {
              LOG.info("renamed {} to {}; {}'s history stays under its old name", old, renamed, old);
              return new JsonObject().put("status", "success").put("old", old).put("new", renamed).put("worker", worker);
            });
      });
    });
  }

  /** The worker restarts under its new name in a second or two: retry the add while it does not answer yet. */
  private Future<JsonObject> addWhenBack(AddWorkerFlow.Request req, int triesLeft) {
    return inventory.add(req).recover(err -> {
      if (triesLeft > 1 && err instanceof ApiException a && a.status() == 504) {
        return vertx.timer(1000).compose(t -> addWhenBack(req, triesLeft - 1));
      }
      return Future.failedFuture(err instanceof ApiException a
          ? new ApiException(a.status(), "renamed, but adding " + req.name() + " failed: " + a.getMessage(), "add", null,
              "pio workers add " + req.name() + " once it is online")
          : err);
    });
  }
}
