package io.pioreactor.leader.database;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCConnectOptions;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's SQLite file: opened with WAL and foreign keys, migrated at start-up.
 * One connection writes: SQLite has a single writer anyway, and one connection means no SQLITE_BUSY. Long reads (time
 * series, exports) go through {@link #readPool()}: read-only connections that WAL lets read beside the writer, so a
 * lab's chart of a week of readings never holds up storing the next ones.
 */
public final class Database {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  /** Read-only connections for long reads. */
  static final int READERS = 2;
  private final Pool pool;
  private Pool readPool;
  private boolean fresh;

  private Database(Pool pool) {
    this.pool = pool;
  }

  /** Opens (creating if needed) and migrates the database at {@code path}. */
  public static Future<Database> open(Vertx vertx, Path path) {
    return vertx.executeBlocking(() -> {
      Files.createDirectories(path.toAbsolutePath().getParent());
      Snapshots.swapInStaged(path);
      return path;
    }).compose(p -> {
      String url = "jdbc:sqlite:" + p.toAbsolutePath() + "?foreign_keys=true&journal_mode=WAL&busy_timeout=15000"
          + "&synchronous=FULL";
      Pool pool = JDBCPool.pool(vertx, new JDBCConnectOptions().setJdbcUrl(url), new PoolOptions().setMaxSize(1));
      Database db = new Database(pool);
      // Opened after the migration: read-only connections cannot create the file or its schema.
      return db.migrate().map(v -> {
        db.readPool = JDBCPool.pool(vertx, new JDBCConnectOptions().setJdbcUrl("jdbc:sqlite:" + p.toAbsolutePath()
            + "?open_mode=1&busy_timeout=15000"), new PoolOptions().setMaxSize(READERS));
        return db;
      });
    });
  }

  /** How many schema steps this build knows: a snapshot from a newer leader cannot be imported. */
  public static int schemaVersion() {
    return Migrations.STEPS.size();
  }

  public Pool pool() {
    return pool;
  }

  /** Read-only connections for long reads (never for a read that must see a write just made: use {@link #pool()}). */
  public Pool readPool() {
    return readPool;
  }

  /** True when this start created the schema from nothing (a fresh install). */
  public boolean isFresh() {
    return fresh;
  }

  private Future<Void> migrate() {
    return pool.query("PRAGMA user_version").execute()
        .map(rows -> rows.iterator().next().getInteger(0))
        .compose(version -> {
          fresh = version == 0;
          Future<Void> chain = Future.succeededFuture();
          for (int i = version; i < Migrations.STEPS.size(); i++) {
            int step = i + 1;
            List<String> statements = Migrations.STEPS.get(i);
            chain = chain.compose(v -> Writes.inTransaction(pool, conn -> runStep(conn, statements, step)));
          }
          return chain;
        });
  }

  private static Future<Void> runStep(SqlConnection conn, List<String> statements, int step) {
    Future<Void> chain = Future.succeededFuture();
    for (String sql : statements) {
      chain = chain.compose(v -> conn.query(sql).execute().mapEmpty());
    }
    return chain
        .compose(v -> conn.query("PRAGMA user_version = " + step).execute().mapEmpty())
        .onSuccess(v -> LOG.info("database migrated to version {}", step))
        .mapEmpty();
  }

  /** {@code PRAGMA integrity_check}: "ok" when the file is sound. */
  public Future<String> integrityCheck() {
    return pool.query("PRAGMA integrity_check").execute().map(rows -> {
      Row r = rows.iterator().next();
      return r.getString(0);
    });
  }

  public Future<Void> close() {
    Future<Void> readers = readPool == null ? Future.succeededFuture() : readPool.close();
    return readers.eventually(pool::close);
  }
}
