package org.tca.rules.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

  @Test
  void everyShardRunsOnceOnItsStaticWorker() {
    for (int k = 1; k <= 4; k++) {
      try (WorkerPool pool = new WorkerPool(k)) {
        for (int shards : new int[] {0, 1, 2, 3, 7, 16}) {
          AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(1, shards));
          int[] worker = new int[Math.max(1, shards)];
          int kk = k;
          for (int rep = 0; rep < 50; rep++) {
            pool.run(shards, (w, s) -> {
              runs.incrementAndGet(s);
              worker[s] = w;
            });
          }
          for (int s = 0; s < shards; s++) {
            assertEquals(50, runs.get(s), "shard " + s + " with K=" + k);
            assertEquals(shards <= 1 ? 0 : s % kk, worker[s], "worker of shard " + s);
          }
        }
      }
    }
  }

  @Test
  void aFailingShardFailsTheCallAfterTheOthersFinish() {
    try (WorkerPool pool = new WorkerPool(3)) {
      int[] done = new int[6];
      IllegalStateException e = assertThrows(IllegalStateException.class, () ->
          pool.run(6, (w, s) -> {
            if (s == 4) {
              throw new IllegalStateException("shard 4 broke");
            }
            done[s] = 1;
          }));
      assertEquals("shard 4 broke", e.getMessage());
      assertArrayEquals(new int[] {1, 1, 1, 1, 0, 1}, done);
      // the pool still works afterwards
      int[] again = new int[5];
      pool.run(5, (w, s) -> again[s] = s + 1);
      assertArrayEquals(new int[] {1, 2, 3, 4, 5}, again);
    }
  }

  @Test
  void closedPoolRefusesWork() {
    WorkerPool pool = new WorkerPool(2);
    pool.close();
    assertThrows(IllegalStateException.class, () -> pool.run(2, (w, s) -> { }));
    assertThrows(IllegalArgumentException.class, () -> new WorkerPool(0));
  }
}
