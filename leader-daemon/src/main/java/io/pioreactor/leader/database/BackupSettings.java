package io.pioreactor.leader.database;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * {@code database.backups} in the leader config: where the backups go ({@code dir}, default {@code backups} beside
 * the database) and how many are kept ({@code keep}, default 8: two months of weekly backups).
 */
public record BackupSettings(Path dir, int keep) {
  public static BackupSettings fromJson(JsonObject backups, Path databasePath) {
    JsonObject o = backups == null ? new JsonObject() : backups;
    Object dir = o.getValue("dir");
    if (dir != null && !(dir instanceof String s && !s.isBlank())) {
      throw new IllegalArgumentException("database.backups.dir must be a directory path");
    }
    Object keep = o.getValue("keep", 8);
    if (!(keep instanceof Integer k) || k < 1 || k > 1000) {
      throw new IllegalArgumentException("database.backups.keep must be a whole number from 1 to 1000");
    }
    Path d = dir == null ? databasePath.toAbsolutePath().resolveSibling("backups") : Path.of((String) dir).toAbsolutePath();
    return new BackupSettings(d, k);
  }
}
