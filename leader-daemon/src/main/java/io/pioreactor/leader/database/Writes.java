package io.pioreactor.leader.database;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.function.Function;

/**
 * Every write in its own committed transaction, before the API answers.
 *
 * <p>Transactions are SQL statements ({@code BEGIN IMMEDIATE}, {@code COMMIT}, {@code ROLLBACK}) on a
 * connection that stays in JDBC auto-commit, not the pool's {@code withTransaction}: when a commit fails
 * (a full disk), sqlite-jdbc leaves its connection believing a transaction is open while SQLite has none,
 * and every later write is then stored yet answered with an error. Here a failed transaction is rolled
 * back by SQLite's own rules and the connection is clean for the next one.
 */
public final class Writes {
  private Writes() {}

  public static Future<RowSet<Row>> execute(Pool pool, String sql, Tuple params) {
    return inTransaction(pool, conn -> conn.preparedQuery(sql).execute(params));
  }

  /** Runs {@code work} between BEGIN IMMEDIATE and COMMIT; on any failure, rolls back and fails. */
  public static <T> Future<T> inTransaction(Pool pool, Function<SqlConnection, Future<T>> work) {
    return pool.withConnection(conn -> begin(conn)
        .compose(begun -> Future.<Void>succeededFuture().compose(v -> work.apply(conn)) // a throw becomes a failure
            .compose(result -> conn.query("COMMIT").execute().map(result))
            .recover(failure -> rollback(conn).compose(v -> Future.failedFuture(failure)))));
  }

  /**
   * BEGIN IMMEDIATE; if the connection is somehow still inside a transaction (a ROLLBACK that failed on a failing
   * card), roll that back first and begin again, rather than refuse every write until a restart.
   */
  private static Future<Void> begin(SqlConnection conn) {
    return conn.query("BEGIN IMMEDIATE").execute().<Void>mapEmpty()
        .recover(err -> String.valueOf(err.getMessage()).contains("within a transaction")
            ? rollback(conn).compose(v -> conn.query("BEGIN IMMEDIATE").execute().<Void>mapEmpty())
            : Future.failedFuture(err));
  }

  /** SQLite may already have rolled back (a failed COMMIT can do that): "no transaction" is fine then. */
  private static Future<Void> rollback(SqlConnection conn) {
    return conn.query("ROLLBACK").execute().<Void>mapEmpty().otherwise((Void) null);
  }
}
