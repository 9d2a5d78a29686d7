package io.pioreactor.leader.system;

import io.pioreactor.leader.api.ApiException;
import io.pioreactor.leader.database.Snapshots;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moving the leader role to another host without losing anything: {@link #export()} takes a consistent snapshot
 * of the database while the leader runs; {@link #stageImport} checks a snapshot and puts it next to the database,
 * where the next start swaps it in ({@link Snapshots#swapInStaged}) and keeps the replaced file. Workers follow:
 * their membership is re-published from the imported inventory, and workers that find their leader by mDNS move
 * to the new one on their own.
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
    return vertx.executeBlocking(() -> {
      Path tmp = Files.createTempFile("pioreactor-leader-export", ".sqlite");
      Files.delete(tmp); // VACUUM INTO wants to create it
      Snapshots.copy(database, tmp);
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
      int workers;
      try {
        workers = Snapshots.inspect(tmp, schemaVersion);
      } catch (Snapshots.SnapshotProblem e) {
        Files.deleteIfExists(tmp);
        throw ApiException.badRequest(e.getMessage());
      }
      Snapshots.stage(tmp, database);
      LOG.warn("staged an imported leader snapshot with {} workers; it replaces the database at the next start", workers);
      return workers;
    });
  }
}
