package io.pioreactor.leader.database;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code pioreactor-backup}: the leader's database backups, run by the weekly systemd timer
 * ({@code pioreactor-backup.timer}) or by hand. It works on the database file directly, beside a running leader
 * (the copy is consistent) or a stopped one.
 * <pre>
 * pioreactor-backup [--config FILE]                      take a backup now, keep the newest N
 * pioreactor-backup --list [--config FILE]               the backups, newest first
 * pioreactor-backup --restore FILE|latest [--config F]   check it, stage it; the leader's next start uses it
 * </pre>
 * Exit codes: 0 done, 1 failed (with the step and what to do), 2 bad usage.
 */
public final class BackupTool {
  static final String DEFAULT_CONFIG = "/etc/pioreactor/leader.json";

  private BackupTool() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    String config = DEFAULT_CONFIG;
    String restore = null;
    boolean list = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> config = i + 1 < args.length ? args[++i] : null;
        case "--restore" -> restore = i + 1 < args.length ? args[++i] : null;
        case "--list" -> list = true;
        case "-h", "--help" -> {
          System.out.println("usage: pioreactor-backup [--config FILE] [--list | --restore FILE|latest]");
          return 0;
        }
        default -> {
          return usage("unknown argument '" + args[i] + "'");
        }
      }
    }
    if (config == null) {
      return usage("--config needs a file");
    }
    if (list && restore != null) {
      return usage("--list and --restore go one at a time");
    }
    Path db;
    BackupSettings settings;
    try {
      JsonObject database = new JsonObject(Files.readString(Path.of(config))).getJsonObject("database", new JsonObject());
      db = Path.of(database.getString("path", "pioreactor.sqlite")).toAbsolutePath();
      settings = BackupSettings.fromJson(database.getJsonObject("backups"), db);
    } catch (IOException | DecodeException | IllegalArgumentException | ClassCastException e) {
      return fail("reading the leader config " + config, e.getMessage(), "check the file (docs/config.md), or name another with --config");
    }
    try {
      if (list) {
        return list(settings);
      }
      return restore == null ? backup(db, settings) : restore(db, settings, restore);
    } catch (Snapshots.SnapshotProblem e) {
      return fail(restore == null ? "checking the backup" : "checking " + restore, e.getMessage(),
          restore == null ? "check the database (sudo systemctl status pioreactor-leader)" : "pick another backup: pioreactor-backup --list");
    } catch (IOException | java.sql.SQLException e) {
      return fail(restore == null ? "writing the backup to " + settings.dir() : "staging " + restore, e.getMessage(),
          "check that the directory exists, has free space and is writable by the pioreactor user (database.backups.dir)");
    }
  }

  private static int backup(Path db, BackupSettings settings) throws IOException, java.sql.SQLException, Snapshots.SnapshotProblem {
    Backups.Taken t = Backups.take(db, settings, Database.schemaVersion(), Instant.now());
    System.out.printf("backup: %s (%s, %d workers)%n", t.backup().file(), size(t.backup().bytes()), t.workers());
    for (Path p : t.removed()) {
      System.out.println("removed (keeping the newest " + settings.keep() + "): " + p);
    }
    return 0;
  }

  private static int list(BackupSettings settings) throws IOException {
    List<Backups.Backup> all = Backups.list(settings.dir());
    if (all.isEmpty()) {
      System.out.println("no backups in " + settings.dir() + " yet (take one: pioreactor-backup)");
      return 0;
    }
    Instant now = Instant.now();
    for (Backups.Backup b : all) {
      System.out.printf("%s  %s  %s ago%n", b.file(), size(b.bytes()), age(Duration.between(b.at(), now)));
    }
    return 0;
  }

  private static int restore(Path db, BackupSettings settings, String which) throws IOException, Snapshots.SnapshotProblem {
    Path file;
    if ("latest".equals(which)) {
      file = Backups.newest(settings.dir()).map(Backups.Backup::file)
          .orElseThrow(() -> new Snapshots.SnapshotProblem("no backups in " + settings.dir()));
    } else {
      file = Path.of(which).toAbsolutePath();
    }
    int workers = Snapshots.inspect(file, Database.schemaVersion());
    // Staged as a copy: the backup itself stays as it was, to restore again.
    Path copy = db.resolveSibling("." + db.getFileName() + ".restore.partial");
    Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Snapshots.stage(copy, db);
    System.out.printf("staged %s (%d workers) to replace %s.%n", file, workers, db);
    System.out.println("Restart the leader to use it: sudo systemctl restart pioreactor-leader");
    System.out.println("(the database it replaces is kept beside it as " + db.getFileName() + ".replaced-<time>)");
    return 0;
  }

  private static String size(long bytes) {
    return bytes < 1024 * 1024 ? (bytes / 1024) + " KB" : String.format("%.1f MB", bytes / 1048576.0);
  }

  private static String age(Duration d) {
    return d.toDays() > 0 ? d.toDays() + " d" : d.toHours() > 0 ? d.toHours() + " h" : Math.max(0, d.toMinutes()) + " min";
  }

  private static int usage(String problem) {
    System.err.println("pioreactor-backup: " + problem);
    System.err.println("usage: pioreactor-backup [--config FILE] [--list | --restore FILE|latest]");
    return 2;
  }

  private static int fail(String step, String cause, String remediation) {
    System.err.println("pioreactor-backup: failed " + step + ": " + cause);
    System.err.println("what to do: " + remediation);
    return 1;
  }
}
