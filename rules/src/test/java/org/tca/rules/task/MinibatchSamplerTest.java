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

  /**
   * In order (sets generated on demand): batch k is trials kB .. kB + B - 1, every iteration of
   * an epoch sees trials no earlier one saw, n = 2^31 - 1 needs no index array, the epoch wraps
   * after floor(n / B) batches, nothing is allocated per batch, and a restored sampler continues
   * exactly; a shuffled sampler's position is refused.
   */
  @Test
  void inOrderWalksConsecutiveFreshBatches() {
    int b = 32;
    MinibatchSampler s = MinibatchSampler.inOrder(Integer.MAX_VALUE, b);
    for (int k = 0; k < 100; k++) {
      int off = s.next();
      for (int j = 0; j < b; j++) {
        assertEquals(k * b + j, s.indices()[off + j], "batch " + k);
      }
    }
    MinibatchSampler.State saved = s.state();
    assertEquals(0, saved.order().length);
    MinibatchSampler r = MinibatchSampler.inOrder(Integer.MAX_VALUE, b);
    r.restore(saved);
    for (int k = 100; k < 110; k++) {
      int off = r.next();
      assertEquals(k * b, r.indices()[off], "resumed batch " + k);
      assertEquals(s.indices()[s.next()], r.indices()[off]);
    }
    assertEquals(110, r.batches());
    MinibatchSampler wrap = MinibatchSampler.inOrder(7, 3);
    int[] firsts = new int[5];
    for (int k = 0; k < 5; k++) {
      firsts[k] = wrap.indices()[wrap.next()];
    }
    assertArrayEquals(new int[] {0, 3, 0, 3, 0}, firsts);
    assertEquals(3, wrap.epochs());
    assertThrows(IllegalArgumentException.class, () -> MinibatchSampler.inOrder(Integer.MAX_VALUE,
        b).restore(new MinibatchSampler(40, b, new RandomStream(1)).state()));
    assertThrows(IllegalArgumentException.class,
        () -> new MinibatchSampler(40, b, new RandomStream(1)).restore(saved));
    if (java.lang.management.ManagementFactory.getThreadMXBean()
        instanceof com.sun.management.ThreadMXBean mx && mx.isThreadAllocatedMemorySupported()) {
      long least = Long.MAX_VALUE;
      for (int round = 0; round < 5; round++) {
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int k = 0; k < 500; k++) {
          s.next();
        }
        least = Math.min(least, mx.getCurrentThreadAllocatedBytes() - before);
      }
      assertEquals(0, least, "bytes per 500 in-order batches");
    }
  }
}
