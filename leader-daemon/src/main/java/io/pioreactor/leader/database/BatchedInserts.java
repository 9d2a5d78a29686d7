package io.pioreactor.leader.database;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rows that arrive as a stream (workers' log lines, job activity), inserted many per transaction.
 *
 * <p>One transaction per row costs an fsync each; a chatty or misbehaving worker then fills the single database
 * connection's queue and the API waits behind it. Batched, a burst of thousands of rows is a few commits. The queue
 * is bounded: past {@code maxQueued} the newest rows are dropped and counted in the log, never the API's writes.
 * Call from one event-loop context (the verticle that owns it).
 */
public final class BatchedInserts {
  private static final Logger LOG = LoggerFactory.getLogger(BatchedInserts.class);
  private static final int MAX_BATCH = 500;

  private record Pending(Tuple row, Promise<Void> stored) {}

  private final Pool pool;
  private final String sql;
  private final int maxQueued;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private boolean flushing;
  private final List<Promise<Void>> drainWaiters = new ArrayList<>();
  private long dropped;
  private long failedBatches;
  private java.util.function.BiConsumer<List<Tuple>, Long> committed;

  public BatchedInserts(Pool pool, String sql, int maxQueued) {
    this.pool = pool;
    this.sql = sql;
    this.maxQueued = maxQueued;
  }

  /**
   * Tells {@code listener} of each committed batch: its rows in order and the rowid of the last one. The batch's rows
   * have consecutive rowids ending there: one connection writes, inside BEGIN IMMEDIATE, and SQLite gives a new row
   * the largest rowid plus one.
   */
  public BatchedInserts onCommitted(java.util.function.BiConsumer<List<Tuple>, Long> listener) {
    this.committed = listener;
    return this;
  }

  /** Queues a row; completes once it is committed (or fails with the batch). */
  public Future<Void> insert(Tuple row) {
    if (queue.size() >= maxQueued) {
      if (dropped++ % 1000 == 0) {
        LOG.warn("dropping rows for '{}': {} waiting to be stored ({} dropped so far)", sql, queue.size(), dropped);
      }
      return Future.failedFuture("too many rows waiting to be stored");
    }
    Promise<Void> stored = Promise.promise();
    queue.add(new Pending(row, stored));
    flush();
    return stored.future();
  }

  /** Completes once every row queued so far is committed or failed (the leader stopping: nothing queued is lost). */
  public Future<Void> drained() {
    if (!flushing && queue.isEmpty()) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    drainWaiters.add(p);
    return p.future();
  }

  private void flush() {
    if (flushing) {
      return;
    }
    if (queue.isEmpty()) {
      List<Promise<Void>> waiting = List.copyOf(drainWaiters);
      drainWaiters.clear();
      waiting.forEach(Promise::tryComplete);
      return;
    }
    flushing = true;
    List<Pending> batch = new ArrayList<>();
    while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
      batch.add(queue.poll());
    }
    List<Tuple> rows = batch.stream().map(Pending::row).toList();
    var listener = committed;
    Writes.inTransaction(pool, conn -> conn.preparedQuery(sql).executeBatch(rows)
            .compose(rs -> listener == null ? Future.succeededFuture(0L)
                : conn.query("SELECT last_insert_rowid()").execute().map(r -> r.iterator().next().getLong(0))))
        .onComplete(done -> {
          if (done.succeeded() && listener != null) {
            try {
              listener.accept(rows, done.result());
            } catch (RuntimeException e) { // a listener's bug must not leave the batch's callers waiting
              LOG.warn("a listener of '{}' failed: {}", sql, e.toString());
            }
          }
          if (done.failed() && failedBatches++ % 100 == 0) {
            LOG.warn("could not store {} rows for '{}' ({} failed batches so far): {}", batch.size(), sql, failedBatches,
                done.cause().getMessage());
          }
          batch.forEach(p -> {
            if (done.succeeded()) {
              p.stored().complete();
            } else {
              p.stored().fail(done.cause());
            }
          });
          flushing = false;
          flush();
        });
  }
}
