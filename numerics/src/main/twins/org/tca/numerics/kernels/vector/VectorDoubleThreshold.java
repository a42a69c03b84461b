package org.tca.numerics.kernels.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API thresholding kernels: the adaptive threshold with hold-off counters of
 * {@link org.tca.numerics.kernels.DoubleKernels#threshold} and the index list of the nonzero
 * elements (of an array, or of a product as it is stored: mulNonzero). Whole vectors of
 * {@code SPECIES_PREFERRED} (the counters in an int species of as many
 * lanes) up to {@code loopBound}, then a scalar tail. A vector of units all below {@code first}
 * skips the adaptation, one all at or above it stores a, and only the vector holding the split
 * blends a and the margin under a lane mask; the counters are max(h - 1, 0), blended to the
 * hold-off where a unit fires (no masked arithmetic in the loop: on AVX2 it is emulated). Every
 * operation is the scalar reference's single IEEE operation in the same order (max, abs,
 * division and comparisons are exact), so the results are bit-identical to it.
 * The indices of a vector's set lanes come from its mask's bits, lowest first: in threshold
 * (spikes are rare) one at a time, in the index lists from a table without a branch per bit, so
 * that those may write (and leave) anything in indices[count, count + n) past the returned count.
 */
final class VectorDoubleThreshold {

  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final VectorSpecies<Integer> I =
      IntVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(L * Integer.SIZE));

  /** Eight int lanes: one row of {@link #POSITIONS} is stored at once. */
  private static final VectorSpecies<Integer> I8 = IntVector.SPECIES_256;
  /** Row w (8 ints): the positions of the set bits of the byte w, lowest first, then zeros. */
  private static final int[] POSITIONS = positions();

  private VectorDoubleThreshold() {}

  private static int[] positions() {
    int[] p = new int[256 * 8];
    for (int w = 0; w < 256; w++) {
      int m = 0;
      for (int bit = 0; bit < 8; bit++) {
        if ((w >>> bit & 1) != 0) {
          p[w * 8 + m++] = bit;
        }
      }
    }
    return p;
  }

  /**
   * Appends base + k for the set bits k of {@code bits} (the lanes of one vector) to
   * {@code indices} at m, ascending, and returns the new m. Without branches on the bits: each
   * byte's positions are one row of {@link #POSITIONS}, stored whole (eight ints, of which the
   * byte's bit count are kept) where that stays below {@code end}, the end of the caller's room.
   */
  private static int append(long bits, int base, int[] indices, int m, int end) {
    for (int k = 0; k < L; k += 8) {
      int w = (int) (bits >>> k) & 0xff;
      if (m + 8 <= end) {
        IntVector.fromArray(I8, POSITIONS, w * 8).add(base + k).intoArray(indices, m);
        m += Integer.bitCount(w);
      } else {
        for (; w != 0; w &= w - 1) {
          indices[m++] = base + k + Integer.numberOfTrailingZeros(w);
        }
      }
    }
    return m;
  }

  static int threshold(int n, int first, double theta, double beta, double rho, double c, int hold,
      double[] v, int vOff, double[] aPrev, int apOff, double[] a, int aOff, double[] zPrev,
      int zpOff, double[] z, int zOff, double[] d, int dOff, int[] h, int hOff, int[] events,
      int count) {
    int split = Math.min(Math.max(first, 0), n);
    DoubleVector zero = DoubleVector.zero(S);
    DoubleVector one = DoubleVector.broadcast(S, 1d);
    IntVector noHold = IntVector.zero(I);
    IntVector tick = IntVector.broadcast(I, 1);
    IntVector holdOff = IntVector.broadcast(I, hold);
    int m = count;
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      DoubleVector margin = DoubleVector.fromArray(S, v, vOff + i).sub(theta);
      if (i + L > split) {
        DoubleVector ai = DoubleVector.fromArray(S, aPrev, apOff + i).mul(rho)
            .add(DoubleVector.fromArray(S, zPrev, zpOff + i));
        if (i >= split) {
          ai.intoArray(a, aOff + i);
          margin = margin.sub(ai.mul(beta));
        } else {
          // the one vector holding the split: lanes i + k >= split adapt
          VectorMask<Double> adapt = S.indexInRange(i - split, L);
          DoubleVector.fromArray(S, a, aOff + i).blend(ai, adapt).intoArray(a, aOff + i);
          margin = margin.blend(margin.sub(ai.mul(beta)), adapt);
        }
      }
      IntVector hi = IntVector.fromArray(I, h, hOff + i);
      VectorMask<Integer> holding = hi.compare(VectorOperators.GT, noHold);
      VectorMask<Double> held = holding.cast(S);
      VectorMask<Double> fires = margin.compare(VectorOperators.GT, zero).andNot(held);
      zero.blend(one, fires).intoArray(z, zOff + i);
      one.sub(margin.abs().div(theta)).max(zero).mul(c).blend(zero, held).intoArray(d, dOff + i);
      hi.sub(tick).max(noHold).blend(holdOff, fires.cast(I)).intoArray(h, hOff + i);
      if (events != null) {
        long bits = fires.toLong();
        while (bits != 0) {
          events[m++] = i + Long.numberOfTrailingZeros(bits);
          bits &= bits - 1;
        }
      }
    }
    for (; i < n; i++) {
      double margin = v[vOff + i] - theta;
      if (i >= split) {
        double ai = rho * aPrev[apOff + i] + zPrev[zpOff + i];
        a[aOff + i] = ai;
        margin -= beta * ai;
      }
      m = fireOne(i, margin, theta, c, hold, z, zOff, d, dOff, h, hOff, events, m);
    }
    return m;
  }

  private static int fireOne(int i, double margin, double theta, double c, int hold, double[] z,
      int zOff, double[] d, int dOff, int[] h, int hOff, int[] events, int count) {
    int hi = h[hOff + i];
    if (hi > 0) {
      h[hOff + i] = hi - 1;
      z[zOff + i] = 0d;
      d[dOff + i] = 0d;
      return count;
    }
    boolean fires = margin > 0d;
    z[zOff + i] = fires ? 1d : 0d;
    d[dOff + i] = c * Math.max(0d, 1d - Math.abs(margin) / theta);
    h[hOff + i] = fires ? hold : 0;
    if (fires && events != null) {
      events[count] = i;
      return count + 1;
    }
    return count;
  }

  static int nonzeroIndices(int n, double[] x, int xOff, int[] indices, int count) {
    int m = count;
    int bound = S.loopBound(n);
    int i = 0;
    int end = count + n;
    for (; i < bound; i += L) {
      long bits = DoubleVector.fromArray(S, x, xOff + i).compare(VectorOperators.NE, 0d).toLong();
      m = append(bits, i, indices, m, end);
    }
    for (; i < n; i++) {
      if (x[xOff + i] != 0d) {
        indices[m++] = i;
      }
    }
    return m;
  }

  static int mulNonzero(int n, double[] x, int xOff, double[] y, int yOff, double[] z, int zOff,
      int[] indices, int count) {
    int m = count;
    int end = count + n;
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      DoubleVector zi = DoubleVector.fromArray(S, x, xOff + i)
          .mul(DoubleVector.fromArray(S, y, yOff + i));
      zi.intoArray(z, zOff + i);
      m = append(zi.compare(VectorOperators.NE, 0d).toLong(), i, indices, m, end);
    }
    for (; i < n; i++) {
      double zi = x[xOff + i] * y[yOff + i];
      z[zOff + i] = zi;
      if (zi != 0d) {
        indices[m++] = i;
      }
    }
    return m;
  }
}
