package io.pioreactor.worker.commands;

import io.pioreactor.protocol.CommandReply;
import io.pioreactor.protocol.CommandRequest;
import io.pioreactor.protocol.Protocol;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.mqtt.MqttConnection;
import io.pioreactor.worker.presence.Presence;
import io.pioreactor.worker.system.Rebooter;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/** Answers the leader's commands; replies always go under this unit's own topics, even for broadcasts. */
public final class CommandHandler {
  private final MqttConnection mqtt;
  private final String unit;
  private final Presence presence;
  private final Rebooter rebooter;

  public CommandHandler(MqttConnection mqtt, String unit, Presence presence, Rebooter rebooter) {
    this.mqtt = mqtt;
    this.unit = unit;
    this.presence = presence;
    this.rebooter = rebooter;
  }

  /** Throws MalformedMessageException for a payload that is not a request. */
  public void handle(String command, Buffer payload) {
    CommandRequest req = CommandRequest.fromBuffer(payload);
    Future<CommandReply> reply = switch (command) {
      case Protocol.HANDSHAKE -> Future.succeededFuture(CommandReply.success(req.id(), unit, presence.unitFacts().toJson()));
      case Protocol.REBOOT -> rebooter.reboot()
          .map(v -> CommandReply.success(req.id(), unit, new io.vertx.core.json.JsonObject()))
          .otherwise(err -> CommandReply.failure(req.id(), unit, err.getMessage()));
      default -> Future.succeededFuture(CommandReply.failure(req.id(), unit, "unknown command: " + command));
    };
    reply.compose(r -> mqtt.publish(Topics.commandReply(unit, command), r.toBuffer(), 1, false));
  }
}
