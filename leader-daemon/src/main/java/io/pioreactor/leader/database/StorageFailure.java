package io.pioreactor.leader.database;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.sqlite.SQLiteException;

/**
 * Recognises the database failures that are about the machine, not the request: a full disk, a read-only
 * file or filesystem, an I/O error. The API answers those with 503 (try again later), never as a bad request;
 * SQLite leaves the file as it was before the failed statement, so nothing already stored is lost.
 */
public record StorageFailure(String message, String remediation) {
  private static final int SQLITE_READONLY = 8;
  private static final int SQLITE_IOERR = 10;
  private static final int SQLITE_FULL = 13;
  private static final int SQLITE_CANTOPEN = 14;

  private static final StorageFailure FULL = new StorageFailure("the leader's disk is full: the change was not saved",
      "free space on the leader (pio logs, old exports, other files), then try again; what was saved before is intact");
  private static final StorageFailure READ_ONLY = new StorageFailure("the leader's database is read-only: the change was not saved",
      "make the database writable again (a card remounted read-only after errors needs checking and a reboot; "
          + "check the file's permissions and lsattr), then try again; what was saved before is intact");
  private static final StorageFailure IO = new StorageFailure("the leader could not write its database (I/O error): the change was not saved",
      "check the leader's storage (SD card) and its log, then try again; what was saved before is intact");

  /** What {@code failure} (or one of its causes) means for a person, when it is such a failure. */
  public static Optional<StorageFailure> of(Throwable failure, Path database) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLiteException e) {
        int primary = e.getResultCode().code & 0xff;
        return Optional.ofNullable(switch (primary) {
          case SQLITE_FULL -> FULL;
          case SQLITE_READONLY -> READ_ONLY;
          // A write-protected file shows up as an I/O error inside SQLite: say which it is.
          case SQLITE_IOERR, SQLITE_CANTOPEN -> writeProtected(database) ? READ_ONLY : IO;
          default -> null;
        });
      }
    }
    return Optional.empty();
  }

  private static boolean writeProtected(Path database) {
    if (database == null) {
      return false;
    }
    Path wal = database.resolveSibling(database.getFileName() + "-wal");
    return (Files.exists(database) && !Files.isWritable(database)) || (Files.exists(wal) && !Files.isWritable(wal))
        || !Files.isWritable(database.toAbsolutePath().getParent());
  }
}
