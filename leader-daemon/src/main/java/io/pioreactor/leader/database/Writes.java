package io.pioreactor.leader.database;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

/**
 * Every write in its own committed transaction. The JDBC pool does not reliably commit a bare statement
 * (after a transaction its connection stays out of auto-commit), and an acknowledged change must be on
 * disk before the API answers.
 */
public final class Writes {
  private Writes() {}

  public static Future<RowSet<Row>> execute(Pool pool, String sql, Tuple params) {
    return pool.withTransaction(conn -> conn.preparedQuery(sql).execute(params));
  }
}
