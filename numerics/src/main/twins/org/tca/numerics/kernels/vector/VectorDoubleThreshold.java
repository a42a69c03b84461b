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
 * elements. Whole vectors of {@code SPECIES_PREFERRED} (the counters in an int species of as many
 * lanes) up to {@code loopBound}, then a scalar tail; the adapting units are a lane mask (a and the
 * margin blended; aPrev, zPrev and a are read, unused, below {@code first} too). Every operation is the scalar reference's single IEEE operation in the same
 * order (max, abs, division and comparisons are exact), so the results are bit-identical to it.
 * The indices of a vector's set lanes come from its mask's bits, lowest first.
 */
final class VectorDoubleThreshold {

  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final VectorSpecies<Integer> I =
      IntVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(L * Integer.SIZE));

  private VectorDoubleThreshold() {}

  static int threshold(int n, int first, double theta, double beta, double rho, double c, int hold,
      double[] v, int vOff, double[] aPrev, int apOff, double[] a, int aOff, double[] zPrev,
      int zpOff, double[] z, int zOff, double[] d, int dOff, int[] h, int hOff, int[] events,
      int count) {
    int split = Math.min(Math.max(first, 0), n);
    DoubleVector zero = DoubleVector.zero(S);
    DoubleVector one = DoubleVector.broadcast(S, 1d);
    int m = count;
    int bound = S.loopBound(n);
    int i = 0;
    IntVector lane = IntVector.zero(I).addIndex(1);
    for (; i < bound; i += L) {
      // lanes i + k >= split adapt (none, some or all of this vector's)
      VectorMask<Double> adapt = lane.compare(VectorOperators.GE, split - i).cast(S);
      DoubleVector ai = DoubleVector.fromArray(S, aPrev, apOff + i).mul(rho)
          .add(DoubleVector.fromArray(S, zPrev, zpOff + i));
      DoubleVector.fromArray(S, a, aOff + i).blend(ai, adapt).intoArray(a, aOff + i);
      DoubleVector m0 = DoubleVector.fromArray(S, v, vOff + i).sub(theta);
      DoubleVector margin = m0.blend(m0.sub(ai.mul(beta)), adapt);
      IntVector hi = IntVector.fromArray(I, h, hOff + i);
      VectorMask<Integer> holding = hi.compare(VectorOperators.GT, 0);
      VectorMask<Double> held = holding.cast(S);
      VectorMask<Double> fires = margin.compare(VectorOperators.GT, 0d).andNot(held);
      zero.blend(1d, fires).intoArray(z, zOff + i);
      one.sub(margin.abs().div(theta)).max(0d).mul(c).blend(zero, held).intoArray(d, dOff + i);
      hi.sub(1, holding).blend(hold, fires.cast(I)).intoArray(h, hOff + i);
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
    for (; i < bound; i += L) {
      long bits = DoubleVector.fromArray(S, x, xOff + i).compare(VectorOperators.NE, 0d).toLong();
      while (bits != 0) {
        indices[m++] = i + Long.numberOfTrailingZeros(bits);
        bits &= bits - 1;
      }
    }
    for (; i < n; i++) {
      if (x[xOff + i] != 0d) {
        indices[m++] = i;
      }
    }
    return m;
  }
}
