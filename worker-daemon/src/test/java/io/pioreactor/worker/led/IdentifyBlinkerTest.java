package io.pioreactor.worker.led;

import static org.assertj.core.api.Assertions.assertThat;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalState;
import io.pioreactor.worker.hardware.GpioContexts;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class IdentifyBlinkerTest {
  private final Context pi4j = GpioContexts.mock();

  record Edge(DigitalState state, long nanos) {}

  @AfterEach
  void close() {
    pi4j.shutdown();
  }

  @Test
  @DisplayName("identify flashes BCM 23 four times: on 140, off 140, on 140, off 450 ms; a second request while busy is ignored")
  void pattern(Vertx vertx) throws Exception {
    List<Edge> edges = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(1);
    IdentifyBlinker blinker = vertx.executeBlocking(() -> new IdentifyBlinker(vertx, pi4j, 23)).await();
    assertThat(blinker.output().address()).isEqualTo(23);
    blinker.output().addListener(e -> {
      synchronized (edges) {
        edges.add(new Edge(e.state(), System.nanoTime()));
        if (edges.size() == 16) {
          done.countDown();
        }
      }
    });
    long start = System.nanoTime();
    boolean[] second = new boolean[2];
    vertx.runOnContext(v -> {
      second[0] = blinker.blink();
      second[1] = blinker.blink();
    });
    assertThat(done.await(10, TimeUnit.SECONDS)).as("16 edges").isTrue();
    assertThat(second[0]).isTrue();
    assertThat(second[1]).as("a request while busy is ignored").isFalse();
    long[] expected = {140, 140, 140, 450};
    long previous = start;
    for (int i = 0; i < 16; i++) {
      Edge e = edges.get(i);
      assertThat(e.state()).as("edge " + i).isEqualTo(i % 2 == 0 ? DigitalState.HIGH : DigitalState.LOW);
      if (i > 0) {
        long ms = (e.nanos() - previous) / 1_000_000;
        assertThat(ms).as("step %d lasted %d ms", i - 1, ms).isBetween(expected[(i - 1) % 4] - 5, expected[(i - 1) % 4] + 60);
      }
      previous = e.nanos();
    }
    // After the last step (450 ms off) the blinker is free again and the LED stays off.
    vertx.timer(600).await();
    assertThat(blinker.isBusy()).isFalse();
    assertThat(blinker.output().state()).isEqualTo(DigitalState.LOW);
  }
}
