package io.pioreactor.leader.database;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the leader knows of its backups (taken by {@code pioreactor-backup}, another process): the backups directory,
 * read off the event loop at start, every minute, and when health is asked more than 5 s after the last read (a
 * backup taken by hand shows at the next ask), so health and its warnings read a value, never the disk.
 */
public final class BackupWatch {
  private static final Logger LOG = LoggerFactory.getLogger(BackupWatch.class);
  static final long RESCAN_MS = 60_000;
  static final long ASKED_RESCAN_MS = 5_000;

  private final Vertx vertx;
  private final BackupSettings settings;
  private volatile List<Backups.Backup> backups = List.of();
  private volatile Optional<Instant> waitingSince = Optional.empty();
  private volatile boolean read;
  private volatile long lastScan;
  private boolean scanning;
  private final long timer;

  private record Scan(List<Backups.Backup> backups, Optional<Instant> waitingSince) {}

  public BackupWatch(Vertx vertx, BackupSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
    rescan();
    this.timer = vertx.setPeriodic(RESCAN_MS, t -> rescan());
  }

  private void rescan() {
    if (scanning) {
      return;
    }
    scanning = true;
    lastScan = System.currentTimeMillis();
    vertx.executeBlocking(() -> {
      List<Backups.Backup> list = Backups.list(settings.dir());
      return new Scan(list, list.isEmpty() ? Optional.of(Backups.waitingSince(settings.dir(), Instant.now())) : Optional.empty());
    }, false)
        .onComplete(ar -> scanning = false)
        .onSuccess(scan -> {
          backups = scan.backups();
          waitingSince = scan.waitingSince();
          read = true;
        })
        .onFailure(err -> LOG.warn("cannot read the backups directory {}: {}", settings.dir(), err.getMessage()));
  }

  /** The newest backup's time; empty when there is none (or the directory has not been read yet). */
  public Optional<Instant> newest() {
    return backups.stream().findFirst().map(Backups.Backup::at);
  }

  /**
   * What the "no backup for N days" rule measures from: the newest backup, else the time this leader first found no
   * backup at all (kept in the backups directory, so a timer that never succeeds is noticed after N days).
   */
  public Optional<Instant> newestOrWaitingSince() {
    return newest().or(() -> waitingSince);
  }

  /** For {@code GET /api/health}: {@code {dir, count, keep, newest, age_days}} (newest and age null when none). */
  public JsonObject json(Instant now) {
    if (System.currentTimeMillis() - lastScan > ASKED_RESCAN_MS) {
      rescan();
    }
    Optional<Backups.Backup> n = backups.stream().findFirst();
    return new JsonObject()
        .put("dir", settings.dir().toString())
        .put("keep", settings.keep())
        .put("count", read ? backups.size() : null)
        .put("newest", n.map(b -> b.at().toString()).orElse(null))
        .put("age_days", n.map(b -> Math.round(Duration.between(b.at(), now).toMinutes() / 144.0) / 10.0).orElse(null));
  }

  public void close() {
    vertx.cancelTimer(timer);
  }
}
