package io.pioreactor.bench;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * Follows the leader's {@code GET /api/events} as the web Inventory does, and hands each event's data to a
 * listener with the {@link System#nanoTime()} at which its last line arrived here.
 */
final class EventStreamReader implements AutoCloseable {
  private final CompletableFuture<HttpResponse<Stream<String>>> response;
  private volatile boolean open = true;

  /** {@code listener} gets (event data, arrival nanoTime) for every event named {@code eventName}. */
  EventStreamReader(LeaderProcess leader, String eventName, BiConsumer<JsonObject, Long> listener) {
    HttpClient http = HttpClient.newHttpClient();
    response = http.sendAsync(leader.request("/api/events").header("accept", "text/event-stream").build(),
        HttpResponse.BodyHandlers.ofLines());
    Thread reader = new Thread(() -> {
      try (Stream<String> lines = response.join().body()) {
        String[] event = {null};
        lines.takeWhile(l -> open).forEach(line -> {
          if (line.startsWith("event: ")) {
            event[0] = line.substring(7);
          } else if (line.startsWith("data: ") && eventName.equals(event[0])) {
            listener.accept(new JsonObject(line.substring(6)), System.nanoTime());
          } else if (line.isEmpty()) {
            event[0] = null;
          }
        });
      } catch (RuntimeException e) {
        // the leader closed the stream: the bench is over
      }
    }, "bench-event-stream");
    reader.setDaemon(true);
    reader.start();
  }

  /** True once the leader answered the request: events after this point will be seen. */
  void awaitOpen() {
    response.join();
  }

  @Override
  public void close() {
    open = false;
    response.thenAccept(r -> r.body().close());
  }
}
