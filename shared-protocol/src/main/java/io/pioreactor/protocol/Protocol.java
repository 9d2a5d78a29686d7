package io.pioreactor.protocol;

/** Versions and constants both sides agree on. */
public final class Protocol {
  /** Bumped when a message shape changes incompatibly. */
  public static final int VERSION = 2;
  /** The app version workers report in {@code monitor/versions}. */
  public static final String APP_VERSION = "0.1.0";
  /** Commands the leader sends to workers under {@code commands/<name>}. */
  public static final String HANDSHAKE = "handshake";
  public static final String REBOOT = "reboot";
  /** Power the unit off (upstream's {@code system/shutdown}); rate limited like reboot. */
  public static final String SHUTDOWN = "shutdown";
  /** Start a job ({@link JobRun}); the reply comes once it is {@code ready}, or says why it was refused. */
  public static final String RUN_JOB = "run_job";
  /** Stop jobs: args {@link JobStop} ({@code job}, {@code experiment}, or {@code "all": true}); reply lists what stopped. */
  public static final String STOP_JOBS = "stop_jobs";
  /** Rename the unit: args {@code new_unit}; the worker rewrites its config and restarts under the new name. */
  public static final String RENAME = "rename";
  /** Read the unit's clock: args {@code {t1}}, reply result {@code {t2, t3}} ({@link ClockExchange}). */
  public static final String CLOCK = "clock";
  /** Step the unit's clock to the leader's: the worker runs its configured {@code clock_sync_command}. */
  public static final String SYNC_CLOCK = "sync_clock";

  private Protocol() {}
}
