package io.pioreactor.leader.broker;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;

@DisplayName("MQTT conformance: Debian's mosquitto with the production rules")
class MosquittoConformanceTest extends BrokerConformance {
  @Override
  BrokerUnderTest open(Vertx vertx, Path dir, boolean anonymousRead) throws Exception {
    return BrokerUnderTest.mosquitto(dir, anonymousRead);
  }

  @Override
  boolean bindsClientIds() {
    return false;
  }

  @Override
  boolean refusesSubscriptions() {
    return false;
  }
}
