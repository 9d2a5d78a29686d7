package io.pioreactor.protocol;

/** Versions and constants both sides agree on. */
public final class Protocol {
  /** Bumped when a message shape changes incompatibly. */
  public static final int VERSION = 1;
  /** The app version workers report in {@code monitor/versions}. */
  public static final String APP_VERSION = "0.1.0";
  /** Commands the leader sends to workers under {@code commands/<name>}. */
  public static final String HANDSHAKE = "handshake";
  public static final String REBOOT = "reboot";

  private Protocol() {}
}
