package org.tca.rules.train;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A pool of helper threads shared by any number of {@link Job jobs}. A job is a task over S shards
 * that one caller runs at a time ({@link Job#run}); the caller works on its own job's shards and
 * idle helpers join in, so the shards of several jobs (the runs of a study, each with its own
 * caller) spread over every thread of the pool. Shards are claimed dynamically, one at a time, and
 * each writes its own output slot, which callers reduce in shard order: results never depend on
 * which thread ran a shard, on the number of threads or on scheduling.
 *
 * <p><b>Seats.</b> A thread working on a job holds one of its seats, 0 .. seats - 1, for as long as
 * it claims shards (seat 0 is the caller's); the task gets the seat, so per-thread scratch space
 * is indexed by seat and a job needs min(S, {@link #size()}) of them, however many threads the
 * pool has. A helper that finds every seat taken moves on to another job.
 *
 * <p><b>Threads.</b> {@link #size()} K is the most threads that work at once: K - 1 helpers plus
 * one caller, or, for a pool shared by D callers ({@link #WorkerPool(int, int)}), K - D helpers
 * started at first and one more for each caller that leaves ({@link #addHelper()}), so K threads
 * stay busy while there is work. Idle helpers spin briefly, then park; publishing a job wakes
 * them. The steady state allocates nothing (jobs are made once per caller).
 */
public final class WorkerPool implements AutoCloseable {

  /** The work of one shard, run in seat {@code seat} (0 = the job's caller). */
  @FunctionalInterface
  public interface ShardTask {
    /** Runs shard {@code shard} in seat {@code seat}. */
    void run(int seat, int shard);
  }

  /** Most seats of one job (and most shards of one call: 2^20 - 1). */
  public static final int MAX_SEATS = 64;
  private static final int MAX_SHARDS = (1 << 20) - 1;
  private static final long SPIN_NANOS = 50_000;

  private final int size;
  private final Thread[] helpers;
  private final AtomicIntegerArray parked;
  private final Object lock = new Object();
  private final AtomicInteger started = new AtomicInteger();
  private volatile Job[] jobs = new Job[0];
  private volatile boolean closed;

  /** A pool for one caller: K = {@code workers} >= 1 (the caller plus K - 1 helpers). */
  public WorkerPool(int workers) {
    this(workers, 1);
  }

  /**
   * A pool of K = {@code workers} threads for {@code callers} concurrent callers: starts
   * max(0, K - callers) helpers now; {@link #addHelper()} starts the rest (up to K - 1).
   */
  public WorkerPool(int workers, int callers) {
    if (workers < 1) {
      throw new IllegalArgumentException("a pool needs >= 1 worker, got " + workers);
    }
    if (callers < 1) {
      throw new IllegalArgumentException("a pool needs >= 1 caller, got " + callers);
    }
    this.size = workers;
    this.helpers = new Thread[workers - 1];
    this.parked = new AtomicIntegerArray(Math.max(1, workers - 1));
    for (int i = 0; i < workers - callers; i++) {
      addHelper();
    }
  }

  /** K, the most threads that work at once (the seats a job may use). */
  public int size() {
    return size;
  }

  /** Helper threads started so far. */
  public int helpers() {
    return started.get();
  }

  /**
   * Starts one more helper thread (a caller that has no more work hands its core to the pool).
   * Does nothing once K - 1 helpers run.
   */
  public void addHelper() {
    int id;
    do {
      id = started.get();
      if (id >= helpers.length || closed) {
        return;
      }
    } while (!started.compareAndSet(id, id + 1));
    int h = id;
    Thread t = new Thread(() -> loop(h), "tca-worker-" + (h + 1));
    t.setDaemon(true);
    helpers[h] = t;
    t.start();
  }

  /** A job running {@code task}, for one caller at a time; close it when done with it. */
  public Job newJob(ShardTask task) {
    return newJob(task, MAX_SEATS);
  }

  /**
   * A job whose calls use at most {@code maxSeats} seats (threads at once), e.g. to bound the
   * scratch space of work that is small beside the rest.
   */
  public Job newJob(ShardTask task, int maxSeats) {
    if (maxSeats < 1) {
      throw new IllegalArgumentException("a job needs >= 1 seat, got " + maxSeats);
    }
    Job j = new Job(task, Math.min(maxSeats, MAX_SEATS));
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("worker pool is closed");
      }
      Job[] next = Arrays.copyOf(jobs, jobs.length + 1);
      next[jobs.length] = j;
      jobs = next;
    }
    return j;
  }

  private void remove(Job j) {
    synchronized (lock) {
      Job[] cur = jobs;
      int i = Arrays.asList(cur).indexOf(j);
      if (i < 0) {
        return;
      }
      Job[] next = new Job[cur.length - 1];
      System.arraycopy(cur, 0, next, 0, i);
      System.arraycopy(cur, i + 1, next, i, cur.length - i - 1);
      jobs = next;
    }
  }

  private void wakeHelpers() {
    int n = started.get();
    for (int h = 0; h < n; h++) {
      if (parked.get(h) != 0) {
        LockSupport.unpark(helpers[h]);
      }
    }
  }

  private void loop(int h) {
    int rotation = h;
    long idleSince = System.nanoTime();
    while (!closed) {
      Job[] js = jobs;
      boolean worked = false;
      int first = js.length == 0 ? 0 : rotation % js.length; // each helper starts elsewhere
      for (int i = 0; i < js.length; i++) {
        worked |= js[(first + i) % js.length].help();
      }
      rotation = (rotation + 1) & Integer.MAX_VALUE; // never negative, however long it runs
      if (worked) {
        idleSince = System.nanoTime();
      } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
        Thread.onSpinWait();
      } else {
        parked.set(h, 1);
        // re-check after announcing, so a job published in between is not missed
        if (!anyWork()) {
          LockSupport.park(this);
        }
        parked.set(h, 0);
        idleSince = System.nanoTime();
      }
    }
  }

  private boolean anyWork() {
    for (Job j : jobs) {
      if (j.open()) {
        return true;
      }
    }
    return closed;
  }

  /** Stops the helper threads (idempotent); running jobs finish on their callers. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
    }
    for (Thread t : helpers) {
      if (t != null) {
        LockSupport.unpark(t);
      }
    }
  }

  /**
   * One caller's task. {@link #run(int)} publishes S shards, works on them in seat 0 and returns
   * when all are done; helpers take the other seats. State word: generation (24 bits) | S (20
   * bits) | next unclaimed shard (20 bits), so a claim is one compare-and-set that cannot hit a
   * later call's shards.
   */
  public final class Job implements AutoCloseable {
    private final ShardTask task;
    private final int maxSeats;
    private final AtomicLong state = new AtomicLong();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicLong seatsTaken = new AtomicLong();
    private volatile int seats;
    private volatile Thread caller;
    private volatile Throwable failure;
    private boolean running;

    private Job(ShardTask task, int maxSeats) {
      this.task = task;
      this.maxSeats = maxSeats;
    }

    /**
     * Runs shards 0 .. {@code shards} - 1 and returns when all are done. A shard that throws makes
     * this call throw (the first failure) after every shard has finished.
     */
    public void run(int shards) {
      if (closed) {
        throw new IllegalStateException("worker pool is closed");
      }
      if (shards > MAX_SHARDS) {
        throw new IllegalArgumentException("at most " + MAX_SHARDS + " shards, got " + shards);
      }
      if (running) {
        throw new IllegalStateException("this job is already running");
      }
      if (shards <= 1 || size == 1) {
        for (int s = 0; s < shards; s++) {
          task.run(0, s);
        }
        return;
      }
      running = true;
      try {
        failure = null;
        caller = Thread.currentThread();
        seats = Math.min(Math.min(shards, size), maxSeats);
        done.set(0);
        long gen = (state.get() >>> 40) + 1;
        state.set((gen & 0xFFFFFFL) << 40 | (long) shards << 20); // publishes the fields above
        wakeHelpers();
        work(0);
        long spinStart = System.nanoTime();
        while (done.get() < shards) {
          if (System.nanoTime() - spinStart < SPIN_NANOS) {
            Thread.onSpinWait();
          } else {
            LockSupport.park(this); // the helper finishing the last shard unparks the caller
          }
        }
        Throwable f = failure;
        if (f != null) {
          failure = null;
          throwUnchecked(f);
        }
      } finally {
        caller = null;
        running = false;
      }
    }

    /** Seats of the call in flight: min(S, K, the job's most seats). */
    public int seats() {
      return seats;
    }

    boolean open() {
      long s = state.get();
      return (s & 0xFFFFF) < ((s >>> 20) & 0xFFFFF);
    }

    /** A helper's visit: take a free seat (1 ..) and claim shards; true if it ran any. */
    boolean help() {
      if (!open()) {
        return false;
      }
      int n = seats;
      long taken;
      int seat;
      do {
        taken = seatsTaken.get();
        seat = Long.numberOfTrailingZeros(~(taken | 1L)); // the lowest free seat above 0
        if (seat >= n) {
          return false;
        }
      } while (!seatsTaken.compareAndSet(taken, taken | 1L << seat));
      try {
        return work(seat);
      } finally {
        seatsTaken.getAndAdd(-(1L << seat));
      }
    }

    private boolean work(int seat) {
      boolean any = false;
      while (true) {
        long s = state.get();
        int count = (int) ((s >>> 20) & 0xFFFFF);
        int next = (int) (s & 0xFFFFF);
        if (next >= count) {
          return any;
        }
        if (!state.compareAndSet(s, s + 1)) {
          continue;
        }
        any = true;
        try {
          task.run(seat, next);
        } catch (Throwable e) {
          if (failure == null) {
            failure = e;
          }
        }
        if (done.incrementAndGet() == count && seat != 0) {
          LockSupport.unpark(caller);
        }
      }
    }

    /** Leaves the pool (the job can no longer run). */
    @Override
    public void close() {
      remove(this);
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
