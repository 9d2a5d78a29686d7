package io.pioreactor.leader.database;

import java.util.Optional;
import org.sqlite.SQLiteException;

/**
 * Recognises the database failures that are about the machine, not the request: a full disk, a read-only
 * file or filesystem, an I/O error. The API answers those with 503 (try again later), never as a bad request,
 * and SQLite leaves the file as it was before the failed statement, so nothing already stored is lost.
 */
public final class StorageFailure {
  private static final int SQLITE_READONLY = 8;
  private static final int SQLITE_IOERR = 10;
  private static final int SQLITE_FULL = 13;
  private static final int SQLITE_CANTOPEN = 14;

  private StorageFailure() {
  }

  /** A sentence for a person when {@code failure} (or one of its causes) is such a failure. */
  public static Optional<String> describe(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLiteException e) {
        int primary = e.getResultCode().code & 0xff;
        return Optional.ofNullable(switch (primary) {
          case SQLITE_FULL -> "the leader's disk is full: the change was not saved";
          case SQLITE_READONLY -> "the leader's database is read-only: the change was not saved";
          case SQLITE_IOERR, SQLITE_CANTOPEN -> "the leader could not write its database (I/O error): the change was not saved";
          default -> null;
        });
      }
    }
    return Optional.empty();
  }

  /** What to do about it. */
  public static String remediation() {
    return "free space on the leader (or fix its storage), then try again; what was saved before is intact";
  }
}
