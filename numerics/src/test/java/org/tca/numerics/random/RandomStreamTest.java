package org.tca.numerics.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reproducibility, golden values, splitting and API contracts of {@link RandomStream}. */
class RandomStreamTest {

  /**
   * Golden values. They were produced by an independent Python transcription of the algorithm
   * in RandomStream's class comment (arbitrary-precision integers masked to 64 bits), so they
   * pin the documented algorithm, not just this implementation. If this test fails, results
   * files written with earlier versions can no longer be reproduced.
   */
  @Test
  void goldenValuesPinTheAlgorithm() {
    RandomStream r = new RandomStream(42);
    assertEquals(-0x5ab5d8761e2d93a2L, r.nextLong());
    assertEquals(0x13470b49e2965bbL, r.nextLong());
    assertEquals(0x784ad92d621c778eL, r.nextLong());
    assertEquals(3, r.position());

    r = new RandomStream(42);
    assertEquals(0.6456627570749532, r.nextDouble());
    assertEquals(0.004706382751464844f, r.nextFloat());

    r = new RandomStream(42);
    assertEquals(-0.016382060983465892, r.nextGaussian());
    assertEquals(0.26673890904078845, r.nextGaussian());
    assertEquals(-1.7706975803651117, r.nextGaussian());
    assertEquals(-0.07266517480603972, r.nextGaussian());
    assertEquals(6, r.position());

    RandomStream c7 = new RandomStream(42).child(7);
    assertEquals(-0x132e681e2a4495ddL, c7.nextLong());
    assertEquals(0x4064c99eadd5e27cL, c7.nextLong());
    assertEquals(-0x7897b995f49ea47fL, new RandomStream(42).child(7).child(3).nextLong());
    RandomStream zero = new RandomStream(0);
    assertEquals(-0x5c48c588a632a4daL, zero.nextLong());
    assertEquals(-0x27ead93994ae2347L, zero.nextLong());
    assertEquals(0x447c40c6643d4eb7L, new RandomStream(-1).child(-5).nextLong());

    r = new RandomStream(42);
    int[] ints = new int[10];
    for (int i = 0; i < ints.length; i++) {
      ints[i] = r.nextInt(10);
    }
    assertArrayEquals(new int[] {6, 0, 4, 9, 2, 4, 1, 6, 4, 6}, ints);
    assertArrayEquals(new int[] {5, 7, 4, 8, 2, 1, 9, 3, 0, 6},
        new RandomStream(42).permutation(10));
  }

  @Test
  void sameSeedGivesSameSequenceDifferentSeedDoesNot() {
    RandomStream a = new RandomStream(123);
    RandomStream b = new RandomStream(123);
    RandomStream c = new RandomStream(124);
    int equalToOther = 0;
    for (int i = 0; i < 10_000; i++) {
      long x = a.nextLong();
      assertEquals(x, b.nextLong());
      if (x == c.nextLong()) {
        equalToOther++;
      }
    }
    assertEquals(0, equalToOther);
  }

  @Test
  void childrenDoNotDependOnCreationOrderOrParentPosition() {
    RandomStream fresh = new RandomStream(7);
    long[] expected = words(fresh.child(3), 100);

    RandomStream used = new RandomStream(7);
    long[] parentWords = words(used, 50);
    used.child(2);
    used.child(5).nextLong();
    assertArrayEquals(expected, words(used.child(3), 100));
    assertArrayEquals(expected, words(used.split(3), 100));

    // Making children does not advance or perturb the parent.
    RandomStream plain = new RandomStream(7);
    RandomStream withChildren = new RandomStream(7);
    for (int i = 0; i < 50; i++) {
      withChildren.child(i);
      assertEquals(plain.nextLong(), withChildren.nextLong());
    }
    assertArrayEquals(parentWords, words(new RandomStream(7), 50));
  }

  @Test
  void setToChildEqualsChildWithoutAllocating() {
    RandomStream root = new RandomStream(99);
    RandomStream reused = new RandomStream(0);
    reused.nextGaussian(); // leaves a cached value that must be dropped
    for (long k = -3; k < 20; k++) {
      reused.setToChild(root, k);
      assertEquals(0, reused.position());
      assertArrayEquals(words(root.child(k), 10), words(reused, 10));
    }
    RandomStream self = new RandomStream(5);
    long[] grandChild = words(new RandomStream(5).child(1).child(2), 5);
    self.setToChild(self, 1);
    self.setToChild(self, 2);
    assertArrayEquals(grandChild, words(self, 5));
  }

  @Test
  void differentKeysGiveDifferentStreams() {
    RandomStream root = new RandomStream(2024);
    Set<Long> firstWords = new HashSet<>();
    for (int k = 0; k < 10_000; k++) {
      assertTrue(firstWords.add(root.child(k).nextLong()), "child " + k);
    }
    assertTrue(firstWords.add(root.copy().nextLong()), "root collides with a child");
    assertNotEquals(root.child(1).child(2).nextLong(), root.child(2).child(1).nextLong());
    assertNotEquals(root.child(0).nextLong(), new RandomStream(0).child(2024).nextLong());
  }

  /**
   * Sample correlation of paired uniforms from related streams (adjacent seeds, sibling
   * children, parent and child): under independence r has standard error 1/sqrt(n), so |r| must
   * stay within 5 standard errors (a false alarm has probability 6e-7 per pair).
   */
  @Test
  void relatedStreamsAreUncorrelated() {
    int n = 100_000;
    RandomStream root = new RandomStream(1);
    RandomStream[][] pairs = {
      {new RandomStream(0), new RandomStream(1)},
      {root.child(0), root.child(1)},
      {root.copy(), root.child(0)},
      {root.child(0).child(1), root.child(1).child(0)},
    };
    for (RandomStream[] pair : pairs) {
      double sxy = 0;
      double sxx = 0;
      double syy = 0;
      for (int i = 0; i < n; i++) {
        double x = pair[0].nextDouble() - 0.5;
        double y = pair[1].nextDouble() - 0.5;
        sxy += x * y;
        sxx += x * x;
        syy += y * y;
      }
      double r = sxy / Math.sqrt(sxx * syy);
      assertTrue(Math.abs(r) < 5 / Math.sqrt(n), "r = " + r);
    }
  }

  @Test
  void copyAndSeekReplay() {
    RandomStream r = new RandomStream(11);
    words(r, 17);
    RandomStream copy = r.copy();
    long[] next = words(r, 20);
    assertArrayEquals(next, words(copy, 20));
    r.seek(17);
    assertArrayEquals(next, words(r, 20));
    r.seek(0);
    assertArrayEquals(words(new RandomStream(11), 5), words(r, 5));
    // A copy carries the cached normal value; seek drops it.
    RandomStream g = new RandomStream(3);
    g.nextGaussian();
    RandomStream gc = g.copy();
    assertEquals(g.nextGaussian(), gc.nextGaussian());
    RandomStream h = new RandomStream(3);
    h.nextGaussian();
    long pos = h.position();
    h.seek(pos);
    assertEquals(pos, h.position());
    RandomStream expect = new RandomStream(3);
    expect.seek(pos);
    assertEquals(expect.nextGaussian(), h.nextGaussian());
  }

  @Test
  void fillsEqualTheScalarLoopsAndRespectTheRange() {
    double[] d = new double[40];
    new RandomStream(5).fillUniform(d, 3, 30, -2.0, 3.0);
    RandomStream ref = new RandomStream(5);
    for (int i = 0; i < d.length; i++) {
      double want = (i >= 3 && i < 33) ? -2.0 + 5.0 * ref.nextDouble() : 0.0;
      assertEquals(want, d[i], "uniform index " + i);
    }
    float[] f = new float[40];
    new RandomStream(5).fillUniform(f, 1, 37, 0.5f, 1.5f);
    ref = new RandomStream(5);
    for (int i = 0; i < f.length; i++) {
      float want = (i >= 1 && i < 38) ? 0.5f + 1.0f * ref.nextFloat() : 0.0f;
      assertEquals(want, f[i], "float uniform index " + i);
    }
    new RandomStream(6).fillNormal(d, 0, 33, 1.0, 0.25);
    ref = new RandomStream(6);
    for (int i = 0; i < 33; i++) {
      assertEquals(1.0 + 0.25 * ref.nextGaussian(), d[i], "normal index " + i);
    }
    f = new float[40];
    new RandomStream(6).fillNormal(f, 2, 33, 1.0f, 0.25f);
    ref = new RandomStream(6);
    for (int i = 2; i < 35; i++) {
      assertEquals((float) (1.0 + 0.25 * ref.nextGaussian()), f[i], "float normal index " + i);
    }
    assertEquals(0.0f, f[0]);
    assertEquals(0.0f, f[35]);
  }

  @Test
  void rademacherFillsUseOneWordPer64Entries() {
    for (int len : new int[] {0, 1, 63, 64, 65, 200}) {
      RandomStream r = new RandomStream(8);
      double[] d = new double[len + 2];
      r.fillRademacher(d, 1, len);
      assertEquals((len + 63) / 64, r.position(), "len " + len);
      RandomStream bits = new RandomStream(8);
      long word = 0;
      for (int i = 0; i < len; i++) {
        if (i % 64 == 0) {
          word = bits.nextLong();
        }
        double want = ((word >>> (i % 64)) & 1) != 0 ? -1.0 : 1.0;
        assertEquals(want, d[1 + i]);
      }
      assertEquals(0.0, d[0]);
      assertEquals(0.0, d[len + 1]);
      float[] f = new float[len];
      new RandomStream(8).fillRademacher(f, 0, len);
      for (int i = 0; i < len; i++) {
        assertEquals((float) d[1 + i], f[i]);
      }
    }
  }

  @Test
  void uniformFillsStayBelowTheUpperBound() {
    float lo = 1.0f;
    float hi = Math.nextUp(lo);
    float[] f = new float[1000];
    new RandomStream(1).fillUniform(f, 0, f.length, lo, hi);
    for (float v : f) {
      assertEquals(lo, v);
    }
    double[] d = new double[1000];
    new RandomStream(1).fillUniform(d, 0, d.length, 1.0, Math.nextUp(1.0));
    for (double v : d) {
      assertEquals(1.0, v);
    }
    new RandomStream(2).fillUniform(d, 0, d.length, -1e300, 1e300);
    for (double v : d) {
      assertTrue(v >= -1e300 && v < 1e300);
    }
  }

  @Test
  void rejectsBadArguments() {
    RandomStream r = new RandomStream(1);
    double[] d = new double[4];
    float[] f = new float[4];
    assertThrows(IllegalArgumentException.class, () -> r.nextInt(0));
    assertThrows(IllegalArgumentException.class, () -> r.nextInt(-5));
    assertThrows(IllegalArgumentException.class, () -> r.fillUniform(d, 0, 4, 1.0, 1.0));
    assertThrows(IllegalArgumentException.class, () -> r.fillUniform(d, 0, 4, 0.0, Double.NaN));
    assertThrows(IllegalArgumentException.class,
        () -> r.fillUniform(f, 0, 4, -3e38f, 3e38f));
    assertThrows(IllegalArgumentException.class, () -> r.fillNormal(d, 0, 4, 0.0, -1.0));
    assertThrows(IndexOutOfBoundsException.class, () -> r.fillNormal(d, 2, 3, 0.0, 1.0));
    assertThrows(IndexOutOfBoundsException.class, () -> r.fillRademacher(f, -1, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> r.shuffle(new int[3], 1, 3));
    assertThrows(IllegalArgumentException.class, () -> r.permutation(-1));
    assertEquals(0, r.position(), "failed calls must not draw");
  }

  /** The warmed-up scalar draws and fills allocate nothing (HotSpot's per-thread counter). */
  @Test
  void drawsAndFillsDoNotAllocate() {
    var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled());
    RandomStream r = new RandomStream(4);
    RandomStream scratch = new RandomStream(0);
    double[] d = new double[256];
    float[] f = new float[256];
    int[] perm = new int[256];
    double sink = 0;
    for (int round = 0; round < 3; round++) {
      long before = bean.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 2_000; i++) {
        r.fillUniform(d, 0, d.length, -1.0, 1.0);
        r.fillNormal(f, 0, f.length, 0.0f, 1.0f);
        r.fillRademacher(d, 0, d.length);
        r.shuffle(perm);
        scratch.setToChild(r, i);
        sink += r.nextGaussian() + r.nextInt(1000) + scratch.nextDouble() + r.nextRademacher();
      }
      long allocated = bean.getCurrentThreadAllocatedBytes() - before;
      if (round == 2) {
        assertEquals(0, allocated, "bytes allocated by 2000 rounds of draws");
      }
    }
    assertTrue(Double.isFinite(sink));
  }

  static long[] words(RandomStream r, int n) {
    long[] w = new long[n];
    for (int i = 0; i < n; i++) {
      w[i] = r.nextLong();
    }
    return w;
  }
}
