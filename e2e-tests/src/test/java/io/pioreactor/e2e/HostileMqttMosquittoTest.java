package io.pioreactor.e2e;

import org.junit.jupiter.api.DisplayName;

/** Row 6 (sessions bound to identities) is the embedded broker's: mosquitto cannot bind client IDs (docs/broker.md). */
@DisplayName("hostile MQTT input: Debian's mosquitto with the shipped ACL")
class HostileMqttMosquittoTest extends HostileMqtt {
  @Override
  boolean embedded() {
    return false;
  }
}
