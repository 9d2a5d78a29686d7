package io.pioreactor.leader.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The leader's database backups: {@code <dir>/pioreactor-<yyyyMMdd-HHmmss>.sqlite} (UTC, so names sort by age),
 * each a consistent copy written under a temporary name and renamed once checked, so a backup cut short by a power
 * cut never passes for a whole one. Blocking: for the backup tool, or off the event loop.
 */
public final class Backups {
  static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final Pattern NAME = Pattern.compile("pioreactor-(\\d{8}-\\d{6})\\.sqlite");

  private Backups() {}

  /** One backup file. */
  public record Backup(Path file, Instant at, long bytes) {}

  /** What {@link #take} did. */
  public record Taken(Backup backup, int workers, List<Path> removed) {}

  /** Takes a backup of {@code database} now, checks it, then keeps the newest {@code keep} and removes the rest. */
  public static Taken take(Path database, BackupSettings settings, int schemaVersion, Instant now)
      throws IOException, java.sql.SQLException, Snapshots.SnapshotProblem {
    if (!Files.isRegularFile(database)) {
      throw new Snapshots.SnapshotProblem("no database at " + database + " (check database.path in the leader config)");
    }
    Files.createDirectories(settings.dir());
    Path target = settings.dir().resolve("pioreactor-" + STAMP.format(now) + ".sqlite");
    Path partial = settings.dir().resolve("." + target.getFileName() + ".partial");
    Files.deleteIfExists(partial);
    try {
      Snapshots.copy(database, partial);
      int workers = Snapshots.inspect(partial, schemaVersion);
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      List<Path> removed = prune(settings);
      Files.deleteIfExists(settings.dir().resolve(WAITING_SINCE));
      return new Taken(new Backup(target, now, Files.size(target)), workers, removed);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /** Every backup in {@code dir}, newest first (none when the directory does not exist). */
  public static List<Backup> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Backup> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        parse(f).ifPresent(out::add);
      }
    }
    out.sort(Comparator.comparing(Backup::at).reversed());
    return out;
  }

  /** The newest backup in {@code dir}, if any. */
  public static Optional<Backup> newest(Path dir) throws IOException {
    return list(dir).stream().findFirst();
  }

  /**
   * When the leader first found {@code dir} without a backup: read from {@code dir/.waiting-since}, written with
   * {@code now} the first time (creating the directory). Removed by the next backup taken.
   */
  public static Instant waitingSince(Path dir, Instant now) throws IOException {
    Path marker = dir.resolve(WAITING_SINCE);
    if (Files.isRegularFile(marker)) {
      try {
        return Instant.parse(Files.readString(marker).trim());
      } catch (DateTimeParseException e) {
        // a damaged marker: start again from now
      }
    }
    Files.createDirectories(dir);
    Files.writeString(marker, now.toString() + "\n");
    return now;
  }

  static final String WAITING_SINCE = ".waiting-since";

  private static Optional<Backup> parse(Path f) {
    Matcher m = NAME.matcher(f.getFileName().toString());
    if (!m.matches() || !Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try {
      Instant at = java.time.LocalDateTime.parse(m.group(1), DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")).toInstant(ZoneOffset.UTC);
      return Optional.of(new Backup(f, at, Files.size(f)));
    } catch (DateTimeParseException | IOException e) {
      return Optional.empty();
    }
  }

  private static List<Path> prune(BackupSettings settings) throws IOException {
    List<Backup> all = list(settings.dir());
    List<Path> removed = new ArrayList<>();
    for (Backup b : all.subList(Math.min(settings.keep(), all.size()), all.size())) {
      Files.deleteIfExists(b.file());
      removed.add(b.file());
    }
    return removed;
  }
}
