package org.tca.rules.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

  @Test
  void everyShardRunsOnceInASeatBelowTheJobsSeatCount() {
    for (int k = 1; k <= 4; k++) {
      try (WorkerPool pool = new WorkerPool(k)) {
        for (int shards : new int[] {0, 1, 2, 3, 7, 16}) {
          AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(1, shards));
          AtomicIntegerArray seatBusy = new AtomicIntegerArray(WorkerPool.MAX_SEATS);
          int maxSeat = Math.max(1, Math.min(shards, k));
          boolean[] overlap = {false};
          int[] badSeat = {-1};
          try (WorkerPool.Job job = pool.newJob((seat, s) -> {
            if (seat >= maxSeat) {
              badSeat[0] = seat;
            }
            if (seatBusy.getAndIncrement(seat) != 0) {
              overlap[0] = true; // two threads in one seat at once
            }
            runs.incrementAndGet(s);
            Thread.onSpinWait();
            seatBusy.decrementAndGet(seat);
          })) {
            for (int rep = 0; rep < 200; rep++) {
              job.run(shards);
            }
          }
          for (int s = 0; s < shards; s++) {
            assertEquals(200, runs.get(s), "shard " + s + " with K=" + k);
          }
          assertEquals(-1, badSeat[0], "seat beyond min(S, K) with K=" + k + ", S=" + shards);
          assertTrue(!overlap[0], "two threads shared a seat, K=" + k);
        }
      }
    }
  }

  @Test
  void aJobUsesAtMostItsSeats() {
    try (WorkerPool pool = new WorkerPool(4);
        WorkerPool.Job job = pool.newJob((seat, s) -> {
          if (seat >= 2) {
            throw new IllegalStateException("seat " + seat + " of a 2-seat job");
          }
          busyWork(20_000); // keep the seat a while, so that helpers come
        }, 2)) {
      for (int rep = 0; rep < 100; rep++) {
        job.run(16);
      }
      assertEquals(2, job.seats());
    }
    assertThrows(IllegalArgumentException.class, () -> new WorkerPool(2).newJob((w, s) -> { }, 0));
  }

  /** Some arithmetic the JIT cannot drop (a fixed amount of work, no clock). */
  private static volatile double sink;

  private static void busyWork(int n) {
    double v = 1;
    for (int i = 0; i < n; i++) {
      v = v * 1.0000001 + 1e-9;
    }
    sink = v;
  }

  @Test
  void helpersWorkOnTheShardsOfSeveralCallers() throws Exception {
    int callers = 3;
    try (WorkerPool pool = new WorkerPool(6, callers)) {
      assertEquals(3, pool.helpers());
      Set<Thread> threads = ConcurrentHashMap.newKeySet();
      CyclicBarrier start = new CyclicBarrier(callers);
      List<Thread> ts = new ArrayList<>();
      long[][] sums = new long[callers][];
      for (int c = 0; c < callers; c++) {
        int id = c;
        Thread t = new Thread(() -> {
          long[] out = new long[64];
          try (WorkerPool.Job job = pool.newJob((seat, s) -> {
            threads.add(Thread.currentThread());
            long v = 0;
            for (int i = 0; i < 20_000; i++) {
              v += (long) i * (s + 1) * (id + 1);
            }
            out[s] = v;
          })) {
            start.await();
            for (int rep = 0; rep < 30; rep++) {
              job.run(64);
            }
          } catch (Exception e) {
            throw new AssertionError(e);
          }
          sums[id] = out;
        });
        ts.add(t);
        t.start();
      }
      for (Thread t : ts) {
        t.join();
      }
      for (int c = 0; c < callers; c++) {
        for (int s = 0; s < 64; s++) {
          long v = 0;
          for (int i = 0; i < 20_000; i++) {
            v += (long) i * (s + 1) * (c + 1);
          }
          assertEquals(v, sums[c][s], "caller " + c + " shard " + s);
        }
      }
      assertTrue(threads.size() > callers, "helpers never ran a shard: " + threads.size());
      pool.addHelper();
      pool.addHelper();
      pool.addHelper();
      assertEquals(5, pool.helpers(), "at most K - 1 helpers");
    }
  }

  @Test
  void aFailingShardFailsTheCallAfterTheOthersFinish() {
    try (WorkerPool pool = new WorkerPool(3)) {
      int[] done = new int[6];
      try (WorkerPool.Job job = pool.newJob((w, s) -> {
        if (s == 4) {
          throw new IllegalStateException("shard 4 broke");
        }
        done[s] = 1;
      })) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> job.run(6));
        assertEquals("shard 4 broke", e.getMessage());
        assertArrayEquals(new int[] {1, 1, 1, 1, 0, 1}, done);
      }
      // the pool still works afterwards
      int[] again = new int[5];
      try (WorkerPool.Job job = pool.newJob((w, s) -> again[s] = s + 1)) {
        job.run(5);
      }
      assertArrayEquals(new int[] {1, 2, 3, 4, 5}, again);
    }
  }

  @Test
  void closedPoolRefusesWork() {
    WorkerPool pool = new WorkerPool(2);
    WorkerPool.Job job = pool.newJob((w, s) -> { });
    pool.close();
    assertThrows(IllegalStateException.class, () -> job.run(2));
    assertThrows(IllegalStateException.class, () -> pool.newJob((w, s) -> { }));
    assertThrows(IllegalArgumentException.class, () -> new WorkerPool(0));
  }
}
