package io.pioreactor.leader.broker;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;

@DisplayName("MQTT conformance: the embedded Artemis broker")
class EmbeddedBrokerConformanceTest extends BrokerConformance {
  @Override
  BrokerUnderTest open(Vertx vertx, Path dir, boolean anonymousRead) throws Exception {
    return BrokerUnderTest.embedded(vertx, dir, anonymousRead);
  }

  @Override
  boolean bindsClientIds() {
    return true;
  }

  @Override
  boolean refusesSubscriptions() {
    return true;
  }
}
