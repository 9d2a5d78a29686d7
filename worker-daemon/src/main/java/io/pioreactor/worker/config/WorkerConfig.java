package io.pioreactor.worker.config;

import io.pioreactor.protocol.Names;
import io.pioreactor.protocol.mqtt.MqttSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The worker's configuration, read once from its JSON file (docs/config.md). */
public record WorkerConfig(String unit, MqttSettings mqtt, String modelName, String modelVersion, String platform,
                           int ledPin, List<String> rebootCommand, JsonObject hardware, boolean mdns, String mdnsAddress,
                           boolean findLeader, List<String> shutdownCommand, java.nio.file.Path stateDir,
                           List<String> mockBroken,
                           io.pioreactor.worker.health.HealthSettings health,
                           List<String> clockSyncCommand) {

  /** Where this unit writes its last self test's result ({@code {"at", "passed", "failed"}}; the health probe reads it). */
  public java.nio.file.Path selfTestFile() {
    return stateDir.resolve("self-test-" + unit + ".json");
  }

  /** A pi4j context for this unit: real GPIO, or the mock platform with the outputs {@code mock.broken} names stuck. */
  public com.pi4j.context.Context gpio() {
    return io.pioreactor.worker.hardware.GpioContexts.create(platform, mockBench().stuckPwmPins(hat(true).pwmPins()));
  }

  /** The world behind pi4j's mock platform, with the parts {@code mock.broken} names broken (tests only). */
  public io.pioreactor.worker.hardware.MockBench mockBench() {
    return new io.pioreactor.worker.hardware.MockBench(mockBroken);
  }

  /** Where this unit keeps the cluster configuration it last applied (one file per unit name). */
  public java.nio.file.Path clusterConfigFile() {
    return stateDir.resolve("cluster-config-" + unit + ".json");
  }

  /** The HAT's pins and calibrations; {@code mock} says whether the ADC gets a simulated culture. */
  public io.pioreactor.worker.hardware.HatSettings hat(boolean mock) {
    return io.pioreactor.worker.hardware.HatSettings.fromJson(hardware, mock);
  }

  public static WorkerConfig fromJson(JsonObject json, String hostname) {
    String unit = json.getString("unit", hostname);
    Names.unitNameProblem(unit).ifPresent(p -> {
      throw new IllegalArgumentException("unit '" + unit + "': " + p);
    });
    JsonObject model = json.getJsonObject("model", new JsonObject());
    JsonObject hw = json.getJsonObject("hardware", new JsonObject());
    String platform = hw.getString("platform", "auto");
    if (!List.of("auto", "mock", "gpiod").contains(platform)) {
      throw new IllegalArgumentException("hardware.platform must be auto, mock or gpiod");
    }
    int pin = hw.getInteger("led_pin", 23);
    if (pin < 0 || pin > 53) {
      throw new IllegalArgumentException("hardware.led_pin must be a BCM pin number 0-53");
    }
    String mdnsAddress = json.getJsonObject("discovery", new JsonObject()).getString("address");
    if (mdnsAddress != null && !Names.isIpv4(mdnsAddress)) {
      throw new IllegalArgumentException("discovery.address must be this machine's IPv4 address, e.g. 192.168.1.20");
    }
    JsonArray reboot = json.getJsonArray("reboot_command", new JsonArray().add("sudo").add("systemctl").add("reboot"));
    if (reboot.isEmpty() || reboot.stream().anyMatch(a -> !(a instanceof String))) {
      throw new IllegalArgumentException("reboot_command must be a non-empty list of strings");
    }
    JsonArray shutdown = json.getJsonArray("shutdown_command", new JsonArray().add("sudo").add("systemctl").add("poweroff"));
    if (shutdown.isEmpty() || shutdown.stream().anyMatch(a -> !(a instanceof String))) {
      throw new IllegalArgumentException("shutdown_command must be a non-empty list of strings");
    }
    return new WorkerConfig(unit, MqttSettings.fromJson(json.getJsonObject("mqtt")),
        model.getString("name", "pioreactor_40ml"), model.getString("version", "1.5"), platform, pin,
        reboot.stream().map(String.class::cast).toList(), validated(hw),
        json.getJsonObject("discovery", new JsonObject()).getBoolean("enabled", true),
        json.getJsonObject("discovery", new JsonObject()).getString("address"),
        // No broker named: look for the leader by mDNS (upstream's fresh-worker experience).
        json.getJsonObject("mqtt", new JsonObject()).getString("host") == null,
        shutdown.stream().map(String.class::cast).toList(), stateDir(json), mockBroken(json),
        io.pioreactor.worker.health.HealthSettings.fromJson(json.getJsonObject("health")), clockSyncCommand(json));
  }

  /** {@code "mock": {"broken": ["stirring", "pd1"]}}: for tests of the self test only; checked against the known parts. */
  private static List<String> mockBroken(JsonObject json) {
    Object mock = json.getValue("mock");
    if (mock == null) {
      return List.of();
    }
    Object broken = mock instanceof JsonObject m ? m.getValue("broken", new JsonArray()) : null;
    if (!(broken instanceof JsonArray a) || a.stream().anyMatch(x -> !(x instanceof String))) {
      throw new IllegalArgumentException("mock.broken must be a list of part names (tests only)");
    }
    List<String> parts = a.stream().map(String.class::cast).toList();
    new io.pioreactor.worker.hardware.MockBench(parts); // names an unknown part: refused here, at start
    return parts;
  }

  /** {@code clock_sync_command}: steps the clock to the leader's (default: chrony, which follows the leader, steps now). */
  private static List<String> clockSyncCommand(JsonObject json) {
    Object v = json.getValue("clock_sync_command", new JsonArray().add("sudo").add("chronyc").add("makestep"));
    if (!(v instanceof JsonArray a) || a.isEmpty() || a.stream().anyMatch(x -> !(x instanceof String s) || s.isEmpty())) {
      throw new IllegalArgumentException("clock_sync_command must be a non-empty list of strings (a program and its arguments, "
          + "no shell), e.g. [\"sudo\", \"chronyc\", \"makestep\"]");
    }
    return a.stream().map(String.class::cast).toList();
  }

  /** {@code state_dir}, else systemd's StateDirectory (/var/lib/pioreactor), else ~/.pioreactor as upstream. */
  private static java.nio.file.Path stateDir(JsonObject json) {
    Object v = json.getValue("state_dir");
    if (v != null && !(v instanceof String s && !s.isBlank())) {
      throw new IllegalArgumentException("state_dir must be a directory's path");
    }
    if (v != null) {
      return java.nio.file.Path.of((String) v);
    }
    String systemd = System.getenv("STATE_DIRECTORY");
    return systemd != null && !systemd.isBlank() ? java.nio.file.Path.of(systemd.split(":")[0])
        : java.nio.file.Path.of(System.getProperty("user.home"), ".pioreactor");
  }

  private static JsonObject validated(JsonObject hw) {
    io.pioreactor.worker.hardware.HatSettings.fromJson(hw, true);
    Object button = hw.getValue("button_pin");
    if (button != null && !(button instanceof Integer b && b >= 0 && b <= 53)) {
      throw new IllegalArgumentException("hardware.button_pin must be a BCM pin number 0-53 (or left out: 24 on HAT 1.0, else 4)");
    }
    return hw;
  }

  /** The HAT button's BCM pin: {@code hardware.button_pin}, else upstream's pin for this HAT version. */
  public int buttonPin(String hatProductVersion) {
    Integer configured = hardware().getInteger("button_pin");
    return configured != null ? configured : io.pioreactor.worker.button.HatButton.pinFor(hatProductVersion);
  }
}
