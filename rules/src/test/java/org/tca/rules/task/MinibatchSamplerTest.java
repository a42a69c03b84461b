package org.tca.rules.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.tca.numerics.random.RandomStream;

/** Shuffled epochs: permutations, determinism, remainder handling. */
class MinibatchSamplerTest {

  private static int[] draw(long seed, int n, int b, int batches) {
    MinibatchSampler s = new MinibatchSampler(n, b, new RandomStream(seed));
    int[] out = new int[batches * b];
    for (int k = 0; k < batches; k++) {
      int off = s.next();
      System.arraycopy(s.indices(), off, out, k * b, b);
    }
    return out;
  }

  @Test
  void eachEpochIsAPermutationDealtInFullBatches() {
    int n = 23;
    int b = 5; // 4 batches per epoch, 3 indices skipped each epoch
    MinibatchSampler s = new MinibatchSampler(n, b, new RandomStream(1));
    for (int epoch = 1; epoch <= 6; epoch++) {
      boolean[] seen = new boolean[n];
      for (int k = 0; k < 4; k++) {
        int off = s.next();
        assertEquals(k * b, off);
        for (int j = 0; j < b; j++) {
          int idx = s.indices()[off + j];
          assertFalse(seen[idx], "index " + idx + " twice in epoch " + epoch);
          seen[idx] = true;
        }
      }
      assertEquals(epoch, s.epochs());
      int[] sorted = s.indices().clone();
      Arrays.sort(sorted);
      for (int i = 0; i < n; i++) {
        assertEquals(i, sorted[i]);
      }
    }
    assertEquals(24, s.batches());
  }

  @Test
  void deterministicForASeedAndDifferentAcrossSeeds() {
    assertArrayEquals(draw(7, 100, 8, 40), draw(7, 100, 8, 40));
    assertFalse(Arrays.equals(draw(7, 100, 8, 40), draw(8, 100, 8, 40)));
    // consecutive epochs are shuffled afresh
    int[] two = draw(7, 100, 100, 2);
    assertFalse(Arrays.equals(Arrays.copyOf(two, 100), Arrays.copyOfRange(two, 100, 200)));
  }

  @Test
  void everyTrialIsUsedOverEpochs() {
    int[] all = draw(3, 10, 3, 300);
    int[] counts = new int[10];
    for (int i : all) {
      counts[i]++;
    }
    for (int c : counts) {
      assertTrue(c > 50, Arrays.toString(counts));
    }
  }

  @Test
  void drawingAllocatesNothing() {
    if (!(java.lang.management.ManagementFactory.getThreadMXBean()
        instanceof com.sun.management.ThreadMXBean mx) || !mx.isThreadAllocatedMemorySupported()) {
      return;
    }
    MinibatchSampler s = new MinibatchSampler(1000, 32, new RandomStream(5));
    long least = Long.MAX_VALUE;
    long sink = 0;
    for (int round = 0; round < 5; round++) {
      long before = mx.getCurrentThreadAllocatedBytes();
      for (int k = 0; k < 500; k++) {
        sink += s.indices()[s.next()];
      }
      least = Math.min(least, mx.getCurrentThreadAllocatedBytes() - before);
    }
    assertEquals(0, least, "bytes per 500 batches (sink " + sink + ")");
  }

  @Test
  void rejectsBadBatchSizes() {
    assertThrows(IllegalArgumentException.class,
        () -> new MinibatchSampler(4, 5, new RandomStream(0)));
    assertThrows(IllegalArgumentException.class,
        () -> new MinibatchSampler(4, 0, new RandomStream(0)));
  }

  /**
   * A sampler restored from another's state, across epoch boundaries, hands out the same
   * batches as the original; a position of another sampler size or a non-permutation is refused
   * and changes nothing.
   */
  @Test
  void stateRestoresThePositionExactly() {
    int n = 23;
    int b = 5;
    MinibatchSampler a = new MinibatchSampler(n, b, new RandomStream(3));
    for (int k = 0; k < 11; k++) { // into the third epoch
      a.next();
    }
    MinibatchSampler.State saved = a.state();
    MinibatchSampler r = new MinibatchSampler(n, b, new RandomStream(3));
    r.restore(saved);
    assertEquals(saved, r.state());
    for (int k = 0; k < 20; k++) {
      int off = a.next();
      assertEquals(off, r.next());
      assertArrayEquals(Arrays.copyOfRange(a.indices(), off, off + b),
          Arrays.copyOfRange(r.indices(), off, off + b), "batch " + k);
    }
    assertEquals(a.epochs(), r.epochs());
    assertEquals(a.batches(), r.batches());
    MinibatchSampler other = new MinibatchSampler(n + 1, b, new RandomStream(3));
    MinibatchSampler.State fresh = other.state();
    assertThrows(IllegalArgumentException.class, () -> other.restore(saved));
    int[] twice = saved.order();
    twice[0] = twice[1];
    assertThrows(IllegalArgumentException.class, () -> r.restore(new MinibatchSampler.State(
        twice, 0, 1, 1, 1)));
    assertEquals(fresh, other.state());
  }
}
