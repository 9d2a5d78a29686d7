package io.pioreactor.worker.button;

import static org.assertj.core.api.Assertions.assertThat;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import io.pioreactor.worker.hardware.GpioContexts;
import io.pioreactor.worker.led.IdentifyBlinker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class HatButtonTest {
  private final Context pi4j = GpioContexts.mock();

  @AfterEach
  void close() {
    pi4j.shutdown();
  }

  private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(until);
      Thread.sleep(10);
    }
  }

  @Test
  @DisplayName("pressing the HAT button lights the LED and publishes button_down True; releasing turns both back")
  void pressAndRelease(Vertx vertx) throws Exception {
    List<String> published = new CopyOnWriteArrayList<>();
    IdentifyBlinker blinker = vertx.executeBlocking(() -> new IdentifyBlinker(vertx, pi4j, 23)).await();
    HatButton button = vertx.executeBlocking(() -> new HatButton(vertx, pi4j, HatButton.PIN_LATER, blinker.output(),
        blinker::isBusy, (attribute, down) -> {
          published.add(attribute + "=" + down);
          return Future.succeededFuture();
        })).await();
    MockDigitalInput pin = (MockDigitalInput) pi4j.registry().<DigitalInput>get("hat-button");
    assertThat(pin.address()).isEqualTo(4);

    pin.mockState(DigitalState.HIGH);
    await("pressed", () -> published.contains("button_down=true"));
    assertThat(blinker.output().state()).isEqualTo(DigitalState.HIGH);
    assertThat(button.isDown()).isTrue();

    pin.mockState(DigitalState.LOW);
    await("released", () -> published.size() == 2);
    assertThat(published).containsExactly("button_down=true", "button_down=false");
    assertThat(blinker.output().state()).isEqualTo(DigitalState.LOW);
    button.close();
  }

  @Test
  @DisplayName("upstream's pin per HAT version: 24 on HAT 1.0, 4 from 1.1 on and without a HAT")
  void pinPerHatVersion() {
    assertThat(HatButton.pinFor("0x0010\u0000")).isEqualTo(24);
    assertThat(HatButton.pinFor("0x0011")).isEqualTo(4);
    assertThat(HatButton.pinFor("0x0012")).isEqualTo(4);
    assertThat(HatButton.pinFor("0.0")).isEqualTo(4);
    assertThat(HatButton.pinFor(null)).isEqualTo(4);
  }
}
