package io.pioreactor.worker.presence;

import io.pioreactor.protocol.JobState;
import io.pioreactor.protocol.Topics;
import io.pioreactor.protocol.UnitFacts;
import io.pioreactor.protocol.mqtt.MqttConnection;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The unit-level {@code monitor} job: publishes, retained, who this unit is and that it is ready.
 * Runs after every (re)connect, so a broker that lost its retained state gets it back.
 */
public final class Presence {
  private final MqttConnection mqtt;
  private final String unit;
  private final String modelName;
  private final String modelVersion;
  private HostFacts facts;

  public Presence(MqttConnection mqtt, String unit, String modelName, String modelVersion, HostFacts facts) {
    this.mqtt = mqtt;
    this.unit = unit;
    this.modelName = modelName;
    this.modelVersion = modelVersion;
    this.facts = facts;
  }

  public Future<Void> announce() {
    return state(JobState.INIT)
        .compose(v -> retained(Topics.VERSIONS, facts.versions().encode()))
        .compose(v -> retained(Topics.IPV4, facts.firstIpv4()))
        .compose(v -> retained(Topics.WLAN_MAC, facts.wlanMac()))
        .compose(v -> retained(Topics.ETH_MAC, facts.ethMac()))
        .compose(v -> retained(Topics.MODEL, new JsonObject().put("model_name", modelName).put("model_version", modelVersion).encode()))
        .compose(v -> state(JobState.READY));
  }

  public Future<Void> state(JobState s) {
    return retained(Topics.STATE, s.wire());
  }

  public UnitFacts unitFacts() {
    return new UnitFacts(unit, facts.ipv4Addresses(), modelName, modelVersion, facts.versions());
  }

  private Future<Void> retained(String attribute, String payload) {
    return mqtt.publish(Topics.monitor(unit, attribute), payload, 1, true).mapEmpty();
  }
}
