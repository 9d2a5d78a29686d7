package io.pioreactor.leader.cli;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code pio mqtt [-t topic] [--broker host:port]}: prints topics and payloads live, for inspection. */
final class MqttWatch {
  private MqttWatch() {}

  static void run(LeaderClient leader, List<String> words, PrintStream out, Map<String, String> env) {
    Args a = Args.parse(words, Set.of("-t", "--topic", "--broker"));
    a.atMost(0);
    List<String> topics = a.all("-t").isEmpty() ? List.of(a.one("--topic") == null ? "pioreactor/#" : a.one("--topic")) : a.all("-t");
    String host;
    int port;
    String broker = a.one("--broker");
    if (broker != null) {
      String[] hp = broker.split(":");
      try {
        host = hp[0];
        port = Integer.parseInt(hp[1]);
      } catch (RuntimeException e) {
        throw CliException.usage("--broker takes host:port");
      }
    } else {
      JsonObject mqtt = ((JsonObject) leader.get("/api/health")).getJsonObject("mqtt");
      host = mqtt.getString("host");
      if (host == null || host.equals("0.0.0.0")) {
        host = URI.create(leader.base()).getHost();
      }
      port = mqtt.getInteger("port");
    }
    MqttClientOptions o = new MqttClientOptions().setClientId("pio-mqtt-" + ProcessHandle.current().pid())
        .setMaxMessageSize(16 * 1024 * 1024);
    if (env.get("PIO_MQTT_USERNAME") != null) {
      o.setUsername(env.get("PIO_MQTT_USERNAME")).setPassword(env.get("PIO_MQTT_PASSWORD"));
    }
    Vertx vertx = Vertx.vertx();
    CountDownLatch closed = new CountDownLatch(1);
    try {
      MqttClient c = MqttClient.create(vertx, o);
      c.publishHandler(m -> out.println(m.topicName() + " " + m.payload().toString()));
      c.closeHandler(v -> closed.countDown());
      c.connect(port, host).await();
      for (String t : topics) {
        c.subscribe(t, 1).await();
      }
      out.flush();
      closed.await();
      throw new CliException(CliException.UNREACHABLE, "the broker closed the connection");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (CliException e) {
      throw e;
    } catch (Exception e) {
      throw new CliException(CliException.UNREACHABLE, "cannot reach the broker at " + host + ":" + port + ": " + e.getMessage());
    } finally {
      vertx.close();
    }
  }
}
