package io.pioreactor.protocol.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.pioreactor.protocol.testing.FreePorts;
import io.pioreactor.protocol.testing.MosquittoBroker;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The one MQTT session every daemon keeps, against Debian's mosquitto. */
class MqttConnectionTest {
  private static final String WILL_TOPIC = "pioreactor/w1/e1/stirring/$state";
  private Vertx vertx;
  private Context loop;
  private MosquittoBroker broker;
  private MqttClient observer;
  private final List<String> heard = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    loop = vertx.getOrCreateContext();
    broker = MosquittoBroker.start();
    observer = MqttClient.create(vertx, new MqttClientOptions().setClientId("observer"));
    observer.publishHandler(m -> heard.add(m.topicName() + " " + m.payload()));
    observer.connect(broker.port(), "127.0.0.1").await();
    observer.subscribe("pioreactor/#", 1).await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    broker.close();
  }

  /** Runs on the connection's event loop, as the daemons do; the caller waits on the result. */
  private <T> Future<T> onLoop(Supplier<Future<T>> work) {
    return Future.<Future<T>>future(p -> loop.runOnContext(v -> p.complete(work.get()))).compose(f -> f);
  }

  private MqttConnection connection(int port, String clientId) {
    return new MqttConnection(vertx, new MqttSettings("127.0.0.1", port, null, null, 2), clientId,
        new MqttConnection.Will(WILL_TOPIC, "lost"));
  }

  private static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.get()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  @DisplayName("after the broker comes back, the session reconnects, subscribes again and runs its hook again")
  void reconnectsAndRunsTheHookAgain() throws Exception {
    AtomicInteger hooks = new AtomicInteger();
    List<String> received = Collections.synchronizedList(new ArrayList<>());
    MqttConnection c = connection(broker.port(), "w1-worker");
    onLoop(() -> c.subscribe("pioreactor/w1/$commands/+", 1).messageHandler(m -> received.add(m.payload().toString()))
        .onConnected(() -> {
          hooks.incrementAndGet();
          return c.publish("pioreactor/w1/monitor/$state", "ready", 1, true);
        }).start()).await();
    assertThat(hooks.get()).isEqualTo(1);

    broker.restart();
    await("the hook again", () -> hooks.get() == 2);
    observer = MqttClient.create(vertx, new MqttClientOptions().setClientId("observer2"));
    observer.connect(broker.port(), "127.0.0.1").await();
    observer.publish("pioreactor/w1/$commands/run_job", Buffer.buffer("after"), MqttQoS.AT_LEAST_ONCE, false, false).await();
    await("a command heard on the new session", () -> received.contains("after"));
    onLoop(c::close).await();
  }

  @Test
  @DisplayName("readRetained hands over what the broker holds retained, not what is published live meanwhile")
  void readRetainedIsRetainedOnly() throws Exception {
    observer.publish("pioreactor/w1/e1/od_reading/$state", Buffer.buffer("ready"), MqttQoS.AT_LEAST_ONCE, false, true).await();
    MqttConnection c = connection(broker.port(), "w1-worker");
    onLoop(c::start).await();
    List<String> handed = Collections.synchronizedList(new ArrayList<>());
    Future<Void> read = onLoop(() -> c.readRetained("pioreactor/w1/+/+/$state", java.time.Duration.ofMillis(800),
        m -> handed.add(m.topicName() + " " + m.payload())));
    Thread.sleep(300);
    observer.publish("pioreactor/w1/e1/stirring/$state", Buffer.buffer("ready"), MqttQoS.AT_LEAST_ONCE, false, true).await();
    read.await();
    assertThat(handed).containsExactly("pioreactor/w1/e1/od_reading/$state ready");
    onLoop(c::close).await();
  }

  @Test
  @DisplayName("a close while the broker has not yet answered the connect leaves no session behind (nor its will)")
  void closeWhileConnectingLeavesNoSession() throws Exception {
    // A proxy that holds the broker's answers until told: the connect stays under way for as long as the test likes.
    List<Buffer> held = Collections.synchronizedList(new ArrayList<>());
    List<NetSocket> sockets = Collections.synchronizedList(new ArrayList<>());
    boolean[] release = {false};
    NetSocket[] toClient = new NetSocket[1];
    int proxyPort = FreePorts.next();
    NetServer proxy = vertx.createNetServer().connectHandler(client -> {
      client.pause();
      toClient[0] = client;
      vertx.createNetClient().connect(broker.port(), "127.0.0.1").onSuccess(upstream -> {
        sockets.add(client);
        sockets.add(upstream);
        client.handler(upstream::write);
        upstream.handler(b -> {
          if (release[0]) {
            client.write(b);
          } else {
            held.add(b);
          }
        });
        client.resume();
      });
    });
    proxy.listen(proxyPort, "127.0.0.1").await();

    MqttConnection c = connection(proxyPort, "w1-stirring");
    Future<Void> started = onLoop(c::start);
    await("the CONNECT through the proxy", () -> !held.isEmpty());
    Future<Void> closed = onLoop(c::close);
    loop.runOnContext(v -> {
      release[0] = true;
      held.forEach(toClient[0]::write);
    });
    closed.await();
    assertThat(started.failed()).as("start() fails once closed").isTrue();
    Thread.sleep(300);
    // Cut the sockets without a DISCONNECT: a session still open would die now and fire its will.
    loop.runOnContext(v -> sockets.forEach(NetSocket::close));
    Thread.sleep(1_000);
    assertThat(heard).noneMatch(h -> h.startsWith(WILL_TOPIC));
  }
}
