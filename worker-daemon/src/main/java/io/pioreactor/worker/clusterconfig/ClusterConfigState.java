package io.pioreactor.worker.clusterconfig;

import io.pioreactor.protocol.ConfigDelivery;
import io.pioreactor.protocol.ConfigStatus;
import io.pioreactor.protocol.MalformedMessageException;
import io.pioreactor.protocol.config.ConfigRules;
import io.pioreactor.protocol.config.Ini;
import io.pioreactor.protocol.config.IniException;
import io.pioreactor.worker.hardware.HatSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster configuration this unit runs with. What the leader sends ({@link ConfigDelivery}) is checked with the
 * same rules the leader checked it with ({@link ConfigRules}) and what jobs read from it ({@link JobDefaults}); it is
 * applied (jobs started from now on use it), stored in this unit's state directory (so it starts with it when the
 * leader is away), and acknowledged on {@code monitor/config}; a refused one is acknowledged with its reason, and the
 * one before stays.
 */
public final class ClusterConfigState {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterConfigState.class);

  private final Vertx vertx;
  private final Path file;
  private final HatSettings hat;
  private JobDefaults current;
  private ConfigStatus lastStatus;
  /** Publishes the status (retained) on the unit's session; fails when not connected (then it is said on the next connect). */
  private Function<ConfigStatus, Future<?>> publisher = s -> Future.succeededFuture();
  /** The versions of the jobs running now, by job name. */
  private Supplier<Map<String, String>> runningJobs = Map::of;

  public ClusterConfigState(Vertx vertx, Path file, HatSettings hat) {
    this.vertx = vertx;
    this.file = file;
    this.hat = hat;
    this.current = JobDefaults.fromHardware(hat);
  }

  public ClusterConfigState publisher(Function<ConfigStatus, Future<?>> p) {
    this.publisher = p;
    return this;
  }

  public ClusterConfigState runningJobs(Supplier<Map<String, String>> jobs) {
    this.runningJobs = jobs;
    return this;
  }

  public JobDefaults current() {
    return current;
  }

  /** At start: the configuration this unit last applied, if it has one stored (blocking read: before the event loop is busy). */
  public void loadStored() {
    try {
      if (!Files.exists(file)) {
        LOG.info("no stored cluster configuration ({}): jobs use this unit's own file until the leader sends one", file);
        return;
      }
      ConfigDelivery d = ConfigDelivery.fromBuffer(Buffer.buffer(Files.readAllBytes(file)));
      current = check(d);
      LOG.info("running with the stored cluster configuration {} (from {}) until the leader says otherwise", d.version(), file);
    } catch (java.io.IOException | IllegalArgumentException e) {
      LOG.warn("cannot use the stored cluster configuration {} ({}); jobs use this unit's own file until the leader sends one",
          file, e.getMessage());
    }
  }

  /** What the leader sent on {@code pioreactor_config/<unit>/effective}. */
  public Future<Void> onDelivery(Buffer payload) {
    if (payload.length() == 0) {
      return Future.succeededFuture(); // the leader removed this unit: it keeps what it has until told otherwise
    }
    ConfigDelivery d;
    try {
      d = ConfigDelivery.fromBuffer(payload);
    } catch (MalformedMessageException e) {
      LOG.warn("ignored a malformed cluster configuration: {}", e.getMessage());
      return Future.succeededFuture();
    }
    if (d.version().equals(current.version())) {
      return say(new ConfigStatus(d.version(), ConfigStatus.APPLIED, null, d.version(), Instant.now().toString(), older()));
    }
    JobDefaults next;
    try {
      next = check(d);
    } catch (IllegalArgumentException e) {
      LOG.warn("refused cluster configuration {}: {}; keeping {}", d.version(), e.getMessage(), current.version());
      return say(new ConfigStatus(d.version(), ConfigStatus.REFUSED, e.getMessage(), current.version(), Instant.now().toString(), older()));
    }
    String before = current.version();
    current = next;
    LOG.info("applied cluster configuration {} (was {}); jobs started from now on use it", d.version(), before);
    // Acknowledged once stored, unless a newer one came meanwhile (its own store says it, after this one: ordered).
    return store(d).compose(v -> d.version().equals(current.version())
        ? say(new ConfigStatus(d.version(), ConfigStatus.APPLIED, null, d.version(), Instant.now().toString(), older()))
        : Future.succeededFuture());
  }

  /** Says again what this unit runs: after every connect, and when jobs start or stop (which of them run an older one). */
  public Future<Void> sayAgain() {
    if (current.version() == null) {
      return Future.succeededFuture();
    }
    ConfigStatus s = lastStatus != null && lastStatus.version().equals(current.version()) ? lastStatus
        : new ConfigStatus(current.version(), ConfigStatus.APPLIED, null, current.version(), Instant.now().toString(), older());
    return say(new ConfigStatus(s.version(), s.status(), s.reason(), s.runningVersion(), s.at(), older()));
  }

  private Future<Void> say(ConfigStatus s) {
    lastStatus = s;
    try {
      return publisher.apply(s).<Void>mapEmpty().otherwise((Void) null);
    } catch (RuntimeException e) {
      // Saying what it runs must never break what called it (a job's start, the connect hook): logged, said next time.
      LOG.warn("could not say which cluster configuration this unit runs: {}", e.toString());
      return Future.succeededFuture();
    }
  }

  private Map<String, String> older() {
    Map<String, String> out = new java.util.TreeMap<>();
    runningJobs.get().forEach((job, version) -> {
      if (version == null || !version.equals(current.version())) {
        out.put(job, version == null ? ConfigStatus.NO_VERSION : version);
      }
    });
    return out;
  }

  private JobDefaults check(ConfigDelivery d) {
    if (!ConfigDelivery.versionOf(d.code()).equals(d.version())) {
      throw new IllegalArgumentException("the text does not match its version " + d.version());
    }
    Ini ini = Ini.parse(d.code()); // IniException is an IllegalArgumentException, with its line
    List<IniException> problems = ConfigRules.problems(ini, false);
    if (!problems.isEmpty()) {
      throw problems.get(0);
    }
    return JobDefaults.from(d.version(), ini, hat);
  }

  /** Written whole then moved into place: a power cut leaves the old file or the new one, never half of one. */
  private Future<Void> store(ConfigDelivery d) {
    return vertx.executeBlocking(() -> {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(tmp, d.toBuffer().getBytes());
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return null;
    }, true).<Void>mapEmpty().recover(err -> { // ordered: two deliveries in a row are stored in the order they came
      LOG.warn("applied cluster configuration {} but could not store it in {} ({}): after a restart without the leader, "
          + "this unit would start with the one before", d.version(), file, err.getMessage());
      return Future.succeededFuture();
    });
  }
}
