package io.pioreactor.worker.commands;

import io.pioreactor.protocol.CommandReply;
import io.pioreactor.protocol.CommandRequest;
import io.pioreactor.protocol.JobRun;
import io.pioreactor.protocol.JobStop;
import io.pioreactor.protocol.MalformedMessageException;
import io.pioreactor.protocol.Protocol;
import io.pioreactor.protocol.Topic;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.mqtt.MqttConnection;
import io.pioreactor.worker.activities.Activities;
import io.pioreactor.worker.presence.Presence;
import io.pioreactor.worker.system.Rebooter;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Answers the leader's commands; replies always go under this unit's own topics, even for broadcasts. */
public final class CommandHandler {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CommandHandler.class);
  private final MqttConnection mqtt;
  private final String unit;
  private final Presence presence;
  private final Rebooter rebooter;
  private Rebooter shutdown;
  private final Activities activities;
  private final io.pioreactor.worker.system.Renamer renamer;

  public CommandHandler(MqttConnection mqtt, String unit, Presence presence, Rebooter rebooter, Activities activities,
                        io.pioreactor.worker.system.Renamer renamer) {
    this.renamer = renamer;
    this.mqtt = mqtt;
    this.unit = unit;
    this.presence = presence;
    this.rebooter = rebooter;
    this.activities = activities;
  }

  /** The power-off command (upstream's {@code system/shutdown}); without it the worker refuses shutdown. */
  public CommandHandler shutdown(Rebooter shutdown) {
    this.shutdown = shutdown;
    return this;
  }

  /** The clock step command ({@link Protocol#SYNC_CLOCK}); without it the worker refuses clock syncs. */
  public CommandHandler clockSync(io.pioreactor.worker.clock.ClockSync clockSync) {
    this.clockSync = clockSync;
    return this;
  }

  private io.pioreactor.worker.clock.ClockSync clockSync;

  /** Commands the leader sends to one unit at a time: a broadcast of them is nobody's (the leader fans them out). */
  private static final java.util.Set<String> NEVER_BROADCAST = java.util.Set.of(Protocol.RENAME, Protocol.REBOOT, Protocol.SHUTDOWN);

  /**
   * {@code topic}: a {@code $commands/<name>} topic for this unit or {@code $broadcast}. Throws MalformedMessageException
   * for a payload that is not a request.
   */
  public void handle(Topic topic, Buffer payload) {
    double received = io.pioreactor.protocol.ClockExchange.nowMs(); // t2 of a clock exchange: first, before any parsing
    String command = topic.commandName();
    CommandRequest req = CommandRequest.fromBuffer(payload);
    if (topic.isBroadcast() && NEVER_BROADCAST.contains(command)) {
      LOG.warn("ignored '{}' sent to $broadcast: the leader sends it to each unit by name", command);
      return;
    }
    Future<CommandReply> reply = switch (command) {
      case Protocol.HANDSHAKE -> Future.succeededFuture(CommandReply.success(req.id(), unit, presence.unitFacts().toJson()));
      case Protocol.REBOOT -> rebooter.reboot()
          .map(v -> CommandReply.success(req.id(), unit, new JsonObject()))
          .otherwise(err -> CommandReply.failure(req.id(), unit, err.getMessage()));
      case Protocol.SHUTDOWN -> (shutdown == null ? Future.<Void>failedFuture("this worker has no shutdown command") : shutdown.reboot())
          .map(v -> CommandReply.success(req.id(), unit, new JsonObject()))
          .otherwise(err -> CommandReply.failure(req.id(), unit, err.getMessage()));
      // t3 is taken as the reply is built, on the event loop, nothing blocking in between.
      case Protocol.CLOCK -> Future.succeededFuture(CommandReply.success(req.id(), unit, io.pioreactor.protocol.ClockExchange.reply(received)));
      case Protocol.SYNC_CLOCK -> (clockSync == null ? Future.<Void>failedFuture("this worker has no clock_sync_command") : clockSync.sync())
          .map(v -> CommandReply.success(req.id(), unit, new JsonObject()))
          .otherwise(err -> CommandReply.failure(req.id(), unit, err.getMessage()));
      case Protocol.RUN_JOB -> runJob(req);
      case Protocol.STOP_JOBS -> stopJobs(req);
      case Protocol.RENAME -> renamer.rename(unit, req.args().getValue("new_unit"))
          .map(v -> CommandReply.success(req.id(), unit, new JsonObject().put("new_unit", req.args().getString("new_unit"))))
          .otherwise(err -> new CommandReply(req.id(), unit, false, err.getMessage(),
              new JsonObject().put("code", err instanceof IllegalArgumentException ? "bad_request" : "conflict")));
      default -> Future.succeededFuture(CommandReply.failure(req.id(), unit, "unknown command: " + command));
    };
    reply.compose(r -> mqtt.publish(Topics.commandReply(unit, command), r.toBuffer(), 1, false)
            .onComplete(sent -> {
              if (!command.equals(Protocol.RENAME) || !r.ok()) {
                return;
              }
              if (sent.succeeded()) {
                renamer.restartUnderNewName();
              } else {
                renamer.abandon(); // the leader did not hear it: it must not find the worker gone under another name
              }
            }))
        .onFailure(err -> LOG.warn("could not answer '{}' to the leader: {}", command, err.getMessage()));
  }

  private Future<CommandReply> runJob(CommandRequest req) {
    JobRun run;
    try {
      run = JobRun.fromJson(req.args());
    } catch (MalformedMessageException e) {
      return Future.succeededFuture(new CommandReply(req.id(), unit, false, e.getMessage(), new JsonObject().put("code", "bad_request")));
    }
    return activities.start(run)
        .map(result -> CommandReply.success(req.id(), unit, result))
        // The code lets the leader answer 400 (fix the request) or 409 (the worker's state says no).
        .otherwise(err -> new CommandReply(req.id(), unit, false, err.getMessage(),
            new JsonObject().put("code", err instanceof IllegalArgumentException ? "bad_request" : "conflict")));
  }

  private Future<CommandReply> stopJobs(CommandRequest req) {
    JobStop stop;
    try {
      stop = JobStop.fromJson(req.args());
    } catch (MalformedMessageException e) {
      return Future.succeededFuture(new CommandReply(req.id(), unit, false, e.getMessage(), new JsonObject().put("code", "bad_request")));
    }
    return activities.stop(stop.job(), stop.experiment(), stop.source(), "stop requested by the leader")
        .map(stopped -> CommandReply.success(req.id(), unit, new JsonObject().put("stopped", new JsonArray(stopped))));
  }

}
