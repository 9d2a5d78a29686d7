package io.pioreactor.leader.cluster;

import io.pioreactor.protocol.CommandReply;
import io.pioreactor.protocol.CommandRequest;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.mqtt.MqttConnection;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Sends commands to units and gathers their replies by id. A unit that does not answer in time
 * yields a {@link NoReplyException}; a fan-out sends one message to each unit by name (never {@code $broadcast}:
 * workers obey rename, reboot and shutdown only when addressed) and gathers what arrives until every unit
 * answered or the time is up.
 */
public final class CommandClient {

  /** No answer within the wait. */
  public static final class NoReplyException extends RuntimeException {
    public NoReplyException(String message) {
      super(message);
    }
  }

  private final Vertx vertx;
  private final MqttConnection mqtt;
  private final Map<String, Gathering> pending = new HashMap<>();

  private static final class Gathering {
    final Set<String> expected;
    final List<CommandReply> replies = new ArrayList<>();
    final Set<String> answered = new java.util.HashSet<>();
    final Promise<List<CommandReply>> promise = Promise.promise();

    Gathering(Set<String> expected) {
      this.expected = expected;
    }
  }

  public CommandClient(Vertx vertx, MqttConnection mqtt) {
    this.vertx = vertx;
    this.mqtt = mqtt;
  }

  /** One unit, one answer. */
  public Future<CommandReply> request(String unit, String command, JsonObject args, Duration wait) {
    return gather(Set.of(unit), command, args, wait).compose(replies -> replies.isEmpty()
        ? Future.failedFuture(new NoReplyException("no answer from " + unit + " within " + wait.toSeconds() + " s"))
        : Future.succeededFuture(replies.get(0)));
  }

  /** Sends to each of {@code units} by name and gathers their replies. */
  public Future<List<CommandReply>> gather(Set<String> units, String command, JsonObject args, Duration wait) {
    String id = UUID.randomUUID().toString();
    Gathering g = new Gathering(units);
    pending.put(id, g);
    long timer = vertx.setTimer(wait.toMillis(), t -> finish(id));
    g.promise.future().onComplete(ar -> vertx.cancelTimer(timer));
    var request = new CommandRequest(id, args).toBuffer();
    for (String unit : units) {
      mqtt.publish(Topics.command(unit, command), request, 1, false)
          .onFailure(err -> {
            pending.remove(id);
            g.promise.tryFail(err);
          });
    }
    if (units.isEmpty()) {
      finish(id);
    }
    return g.promise.future();
  }

  /** Feeds a reply that arrived on a {@code commands/<name>/reply} topic. */
  public void onReply(String fromUnit, CommandReply reply) {
    Gathering g = pending.get(reply.id());
    // Only the units asked, each under its own name (the broker makes sure a reply topic is its unit's).
    if (g == null || !fromUnit.equals(reply.unit()) || !g.expected.contains(fromUnit) || !g.answered.add(fromUnit)) {
      return;
    }
    g.replies.add(reply);
    if (g.answered.size() >= g.expected.size()) {
      finish(reply.id());
    }
  }

  private void finish(String id) {
    Gathering g = pending.remove(id);
    if (g != null) {
      g.promise.tryComplete(List.copyOf(g.replies));
    }
  }
}
