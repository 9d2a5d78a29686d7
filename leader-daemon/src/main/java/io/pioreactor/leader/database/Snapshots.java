package io.pioreactor.leader.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whole-database copies, for the leader's export, its imports and the backups: a consistent copy taken while the
 * leader writes ({@code VACUUM INTO}: WAL lets it read one snapshot), the check that a copy is a sound leader
 * database, and swapping a staged copy in before the database opens. Every method blocks: call them off the event
 * loop, or from a tool of its own.
 */
public final class Snapshots {
  private static final Logger LOG = LoggerFactory.getLogger(Snapshots.class);

  private Snapshots() {}

  /** A copy's problem, in words a user can act on. */
  public static final class SnapshotProblem extends Exception {
    SnapshotProblem(String message) {
      super(message);
    }
  }

  /** Writes a consistent copy of {@code database} to {@code target}, which must not exist yet. */
  public static void copy(Path database, Path target) throws SQLException {
    // Its own connection: VACUUM cannot run inside a pool's transaction.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath() + "?busy_timeout=15000");
         var st = c.prepareStatement(SqlQueries.VACUUM_INTO)) {
      st.setString(1, target.toAbsolutePath().toString());
      st.execute();
    }
  }

  /**
   * Checks that {@code file} is a sound leader database this build can open (schema version 1 to {@code schemaVersion})
   * and returns how many workers its inventory holds.
   */
  public static int inspect(Path file, int schemaVersion) throws SnapshotProblem {
    if (!Files.isRegularFile(file)) {
      throw new SnapshotProblem(file + " is not a file");
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath() + "?open_mode=1")) {
      String ok = single(c, SqlQueries.INTEGRITY_CHECK);
      if (!"ok".equals(ok)) {
        throw new SnapshotProblem("the snapshot is damaged: " + ok);
      }
      int v = Integer.parseInt(single(c, SqlQueries.USER_VERSION));
      if (v < 1 || v > schemaVersion) {
        throw new SnapshotProblem("not a leader snapshot this leader can read (schema version " + v + ", this leader reads up to "
            + schemaVersion + ")");
      }
      return Integer.parseInt(single(c, SqlQueries.COUNT_WORKERS));
    } catch (SQLException | NumberFormatException e) {
      throw new SnapshotProblem("not an SQLite database from a leader: " + e.getMessage());
    }
  }

  private static String single(Connection c, String sql) throws SQLException {
    try (ResultSet rs = c.createStatement().executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : "no answer";
    }
  }

  /** Where a copy waits to replace the database at the next start. */
  public static Path staged(Path database) {
    return database.resolveSibling(database.getFileName() + ".import");
  }

  /** Puts a checked copy where the next start swaps it in (a rename when on the same disk). */
  public static void stage(Path copy, Path database) throws IOException {
    Path staged = staged(database);
    try {
      Files.move(copy, staged, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (java.nio.file.AtomicMoveNotSupportedException e) {
      // Another filesystem (a backup on a USB stick): copy beside the database first, then rename.
      Path tmp = staged.resolveSibling(staged.getFileName() + ".partial");
      Files.copy(copy, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, staged, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /** Before the database opens: a staged copy replaces it; the replaced files are kept beside it. */
  public static void swapInStaged(Path database) throws IOException {
    Path staged = staged(database);
    if (!Files.exists(staged)) {
      return;
    }
    String stamp = Instant.now().toString().replace(':', '-');
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      Path f = database.resolveSibling(database.getFileName() + suffix);
      if (Files.exists(f)) {
        Files.move(f, database.resolveSibling(database.getFileName() + ".replaced-" + stamp + suffix));
      }
    }
    Files.move(staged, database, StandardCopyOption.ATOMIC_MOVE);
    LOG.warn("a staged leader snapshot (an import or a restored backup) is now in use; the previous database is kept as {}.replaced-{}",
        database.getFileName(), stamp);
  }
}
