package io.pioreactor.worker.hardware;

import static org.assertj.core.api.Assertions.assertThat;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The real-hardware path of measured_rpm, driven through pi4j's mock input: edges in, turns a minute out. */
class HallSensorTest {
  private final Context pi4j = GpioContexts.mock();

  @AfterEach
  void stop() {
    pi4j.shutdown();
  }

  @Test
  @DisplayName("the hall sensor turns the falling edges on its pi4j input within a window into turns a minute")
  void fallingEdgesBecomeRpm() throws Exception {
    HallSensor sensor = new HallSensor(pi4j, 21);
    MockDigitalInput pin = (MockDigitalInput) sensor.input();
    pin.mockState(DigitalState.HIGH);
    pin.mockState(DigitalState.LOW); // before the window: not counted
    sensor.start();
    long firstBefore = 0;
    long firstAfter = 0;
    long lastBefore = 0;
    long lastAfter = 0;
    for (int edge = 0; edge < 11; edge++) {
      pin.mockState(DigitalState.HIGH);
      long before = System.nanoTime();
      pin.mockState(DigitalState.LOW);
      long after = System.nanoTime();
      if (edge == 0) {
        firstBefore = before;
        firstAfter = after;
      }
      lastBefore = before;
      lastAfter = after;
      Thread.sleep(10);
    }
    double rpm = sensor.stop();
    // 10 turns between the first and the last edge, whenever within its mockState call pi4j timed each
    assertThat(rpm).isBetween(600e9 / (lastAfter - firstBefore) - 0.1, 600e9 / (lastBefore - firstAfter) + 0.1);
    assertThat(rpm).as("about 10 ms a turn").isBetween(1000.0, 6000.0);
    pin.mockState(DigitalState.HIGH);
    pin.mockState(DigitalState.LOW);
    assertThat(sensor.stop()).as("after the window, nothing new is counted").isEqualTo(rpm);
    sensor.close();
  }

  @Test
  @DisplayName("a window with fewer than two falling edges reads 0 rpm")
  void noTurnsReadZero() {
    HallSensor sensor = new HallSensor(pi4j, 21);
    MockDigitalInput pin = (MockDigitalInput) sensor.input();
    sensor.start();
    pin.mockState(DigitalState.HIGH);
    pin.mockState(DigitalState.LOW);
    assertThat(sensor.stop()).isZero();
    sensor.close();
  }
}
