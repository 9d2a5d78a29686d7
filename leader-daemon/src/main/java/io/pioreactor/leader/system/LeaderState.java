package io.pioreactor.leader.system;

import io.pioreactor.leader.api.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moving the leader role to another host without losing anything: {@link #export()} takes a consistent snapshot
 * of the database while the leader runs ({@code VACUUM INTO}); {@link #stageImport} checks a snapshot and puts
 * it next to the database, where the next start swaps it in ({@link #swapInStagedImport}) and keeps the
 * replaced file. Workers follow: their membership is re-published from the imported inventory, and workers
 * that find their leader by mDNS move to the new one on their own.
 */
public final class LeaderState {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderState.class);

  private final Vertx vertx;
  private final Path database;
  private final int schemaVersion;

  public LeaderState(Vertx vertx, Path database, int schemaVersion) {
    this.vertx = vertx;
    this.database = database;
    this.schemaVersion = schemaVersion;
  }

  /** A consistent copy of the database, as a file the caller sends and then deletes. */
  public Future<Path> export() {
    // Its own connection: VACUUM cannot run inside the pool's transaction, and WAL lets it read a consistent
    // snapshot while the leader keeps writing.
    return vertx.executeBlocking(() -> {
      Path tmp = Files.createTempFile("pioreactor-leader-export", ".sqlite");
      Files.delete(tmp); // VACUUM INTO wants to create it
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath() + "?busy_timeout=15000");
           var st = c.prepareStatement("VACUUM INTO ?")) {
        st.setString(1, tmp.toAbsolutePath().toString());
        st.execute();
      }
      return tmp;
    });
  }

  /** Where an upload is written while it arrives: beside the database, so staging it is a rename on one disk. */
  public Path uploadDirectory() {
    return database.toAbsolutePath().getParent();
  }

  /**
   * Checks an uploaded snapshot (a file in {@link #uploadDirectory()}, which this takes over: moved into place or
   * deleted) and stages it; the caller restarts the leader to swap it in. Returns its worker count.
   */
  public Future<Integer> stageImport(Path tmp) {
    return vertx.executeBlocking(() -> {
      Path staged = staged(database);
      int workers;
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.toAbsolutePath() + "?open_mode=1")) {
        try (ResultSet rs = c.createStatement().executeQuery("PRAGMA integrity_check")) {
          String ok = rs.next() ? rs.getString(1) : "no answer";
          if (!"ok".equals(ok)) {
            throw ApiException.badRequest("the snapshot is damaged: " + ok);
          }
        }
        try (ResultSet rs = c.createStatement().executeQuery("PRAGMA user_version")) {
          int v = rs.next() ? rs.getInt(1) : 0;
          if (v < 1 || v > schemaVersion) {
            throw ApiException.badRequest("not a leader snapshot this leader can read (schema version " + v + ", this leader reads up to "
                + schemaVersion + ")");
          }
        }
        try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM workers")) {
          workers = rs.next() ? rs.getInt(1) : 0;
        }
      } catch (java.sql.SQLException e) {
        Files.deleteIfExists(tmp);
        throw ApiException.badRequest("not an SQLite database from a leader: " + e.getMessage());
      } catch (ApiException e) {
        Files.deleteIfExists(tmp);
        throw e;
      }
      Files.move(tmp, staged, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      LOG.warn("staged an imported leader snapshot with {} workers; it replaces the database at the next start", workers);
      return workers;
    });
  }

  static Path staged(Path database) {
    return database.resolveSibling(database.getFileName() + ".import");
  }

  /** Before the database opens: a staged import replaces it; the replaced files are kept beside it. Blocking. */
  public static void swapInStagedImport(Path database) throws java.io.IOException {
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
    LOG.warn("imported leader snapshot now in use; the previous database is kept as {}.replaced-{}", database.getFileName(), stamp);
  }
}
