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
 * yields a {@link NoReplyException}; a broadcast gathers what arrives until every expected unit
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
    return gather(unit, Set.of(unit), command, args, wait).compose(replies -> replies.isEmpty()
        ? Future.failedFuture(new NoReplyException("no answer from " + unit + " within " + wait.toSeconds() + " s"))
        : Future.succeededFuture(replies.get(0)));
  }

  /** Sends to {@code target} (a unit or {@code $broadcast}) and gathers replies from {@code expected}. */
  public Future<List<CommandReply>> gather(String target, Set<String> expected, String command, JsonObject args,
                                           Duration wait) {
    String id = UUID.randomUUID().toString();
    Gathering g = new Gathering(expected);
    pending.put(id, g);
    long timer = vertx.setTimer(wait.toMillis(), t -> finish(id));
    g.promise.future().onComplete(ar -> vertx.cancelTimer(timer));
    mqtt.publish(Topics.command(target, command), new CommandRequest(id, args).toBuffer(), 1, false)
        .onFailure(err -> {
          pending.remove(id);
          g.promise.tryFail(err);
        });
    if (expected.isEmpty()) {
      finish(id);
    }
    return g.promise.future();
  }

  /** Feeds a reply that arrived on a {@code commands/<name>/reply} topic. */
  public void onReply(String fromUnit, CommandReply reply) {
    Gathering g = pending.get(reply.id());
    if (g == null || !fromUnit.equals(reply.unit())) {
      return;
    }
    g.replies.add(reply);
    if (g.replies.stream().map(CommandReply::unit).distinct().count() >= g.expected.size()) {
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
