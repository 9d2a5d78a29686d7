package io.pioreactor.leader.api;

import io.pioreactor.leader.inventory.InventoryEvents;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashSet;
import java.util.Set;

/** {@code GET /api/events}: inventory events as Server-Sent Events, with a keep-alive comment every 15 s. */
final class EventStream {
  private final Set<HttpServerResponse> clients = new LinkedHashSet<>();
  private final MessageConsumer<JsonObject> consumer;
  private final long heartbeat;
  private final Vertx vertx;

  EventStream(Vertx vertx) {
    this.vertx = vertx;
    this.consumer = vertx.eventBus().consumer(InventoryEvents.ADDRESS, msg -> send(msg.body()));
    this.heartbeat = vertx.setPeriodic(15_000, id -> clients.forEach(c -> c.write(": keep-alive\n\n")));
  }

  void open(RoutingContext ctx) {
    HttpServerResponse res = ctx.response();
    res.setChunked(true)
        .putHeader("content-type", "text/event-stream")
        .putHeader("cache-control", "no-cache")
        .putHeader("x-accel-buffering", "no");
    res.write("retry: 1000\n\n");
    clients.add(res);
    res.closeHandler(v -> clients.remove(res));
    res.exceptionHandler(e -> clients.remove(res));
  }

  private void send(JsonObject event) {
    String frame = "event: " + event.getString("event") + "\ndata: " + event.getJsonObject("data").encode() + "\n\n";
    for (HttpServerResponse c : Set.copyOf(clients)) {
      if (c.writeQueueFull()) {
        // A stalled client must not hold the leader's memory: it reconnects and reloads.
        clients.remove(c);
        c.reset();
      } else {
        c.write(frame);
      }
    }
  }

  void close() {
    vertx.cancelTimer(heartbeat);
    consumer.unregister();
    clients.forEach(HttpServerResponse::end);
    clients.clear();
  }
}
