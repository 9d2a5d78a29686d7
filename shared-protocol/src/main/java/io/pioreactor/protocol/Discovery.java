package io.pioreactor.protocol;

/**
 * mDNS names. Workers advertise {@link #WORKER_SERVICE} like upstream; the leader advertises {@link #LEADER_SERVICE},
 * so a worker with no leader configured finds it. TXT records carry the keys below.
 */
public final class Discovery {
  public static final String WORKER_SERVICE = "_pio-worker._tcp.local.";
  public static final String LEADER_SERVICE = "_pio-leader._tcp.local.";
  public static final String TXT_UNIT = "unit";
  public static final String TXT_IPV4 = "ipv4";
  public static final String TXT_MODEL_NAME = "model_name";
  public static final String TXT_MODEL_VERSION = "model_version";
  public static final String TXT_APP_VERSION = "app_version";
  public static final String TXT_MQTT_PORT = "mqtt_port";
  public static final String TXT_HTTP_PORT = "http_port";

  private Discovery() {}
}
