package org.tca.rules.train;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed pool of K workers that runs one task over S shards with a STATIC assignment: worker w
 * runs shards w, w + K, w + 2K, ... in increasing order. The calling thread is worker 0; workers
 * 1..K-1 are daemon threads made once. Each shard writes its own output slot, and callers reduce
 * the slots in shard order, so results never depend on K or on scheduling.
 *
 * <p>Dispatch publishes the task through volatile fields and wakes the workers with
 * {@link LockSupport#unpark}; completion is an atomic countdown. Nothing is allocated per call.
 * One {@link #run} at a time (calls from several threads at once are refused). Close the pool to
 * stop its threads (they are daemons, so an unclosed pool does not keep the JVM alive).
 */
public final class WorkerPool implements AutoCloseable {

  /** The work of one shard, run by worker {@code worker} (0 = the calling thread). */
  @FunctionalInterface
  public interface ShardTask {
    /** Runs shard {@code shard} on worker {@code worker}. */
    void run(int worker, int shard);
  }

  private final int size;
  private final Thread[] threads;
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicInteger busy = new AtomicInteger();
  private volatile ShardTask task;
  private volatile int shards;
  private volatile long generation;
  private volatile Thread caller;
  private volatile Throwable failure;
  private volatile boolean closed;

  /** A pool of {@code workers} >= 1 workers (the caller plus workers - 1 threads). */
  public WorkerPool(int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("a pool needs >= 1 worker, got " + workers);
    }
    this.size = workers;
    this.threads = new Thread[workers - 1];
    for (int w = 1; w < workers; w++) {
      int id = w;
      Thread t = new Thread(() -> loop(id), "tca-worker-" + w);
      t.setDaemon(true);
      threads[w - 1] = t;
      t.start();
    }
  }

  /** K, the number of workers (the calling thread included). */
  public int size() {
    return size;
  }

  /**
   * Runs {@code task} for shards 0..{@code shardCount}-1 and returns when all are done. A shard
   * that throws makes this call throw (the first failure) after every worker has finished.
   */
  public void run(int shardCount, ShardTask task) {
    if (closed) {
      throw new IllegalStateException("worker pool is closed");
    }
    if (size == 1 || shardCount <= 1) {
      for (int s = 0; s < shardCount; s++) {
        task.run(0, s);
      }
      return;
    }
    if (!busy.compareAndSet(0, 1)) {
      throw new IllegalStateException("worker pool is already running a task");
    }
    try {
      failure = null;
      this.task = task;
      this.shards = shardCount;
      this.caller = Thread.currentThread();
      pending.set(size - 1);
      generation = generation + 1; // volatile write publishes the fields above
      for (Thread t : threads) {
        LockSupport.unpark(t);
      }
      Throwable own = null;
      try {
        runShards(0, task, shardCount);
      } catch (Throwable e) {
        own = e;
      }
      while (pending.get() != 0) {
        LockSupport.park(this);
      }
      this.task = null;
      Throwable f = own != null ? own : failure;
      if (f != null) {
        failure = null;
        throwUnchecked(f);
      }
    } finally {
      busy.set(0);
    }
  }

  private void runShards(int worker, ShardTask t, int count) {
    for (int s = worker; s < count; s += size) {
      t.run(worker, s);
    }
  }

  private void loop(int worker) {
    long seen = 0;
    while (true) {
      long g;
      while ((g = generation) == seen) {
        if (closed) {
          return;
        }
        LockSupport.park(this);
      }
      seen = g;
      if (closed) {
        return;
      }
      try {
        runShards(worker, task, shards);
      } catch (Throwable e) {
        if (failure == null) {
          failure = e;
        }
      }
      if (pending.decrementAndGet() == 0) {
        LockSupport.unpark(caller);
      }
    }
  }

  /** Stops the worker threads (idempotent). */
  @Override
  public void close() {
    closed = true;
    for (Thread t : threads) {
      LockSupport.unpark(t);
    }
  }

  private static void throwUnchecked(Throwable t) {
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException("worker failed", t);
  }
}
