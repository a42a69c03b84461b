package org.tca.numerics.kernels.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Deterministic horizontal sums, from a per-thread scratch array into which the caller stored
 * its accumulator vector(s). {@code reduceLanes(ADD)} leaves the order of the additions
 * unspecified, and in practice it differs between interpreted and C2-compiled code, so the same
 * call could return different bits before and after the JIT compiled it: a run would not be
 * reproducible from its seed. This sum uses a fixed tree instead (exact IEEE additions in every
 * execution mode): lane 0 of v <- v + rotate(v, L/2), v <- v + rotate(v, L/4), ..., i.e.
 * a_i += a_(i+w) for w = L/2, L/4, ..., 1, result a_0.
 *
 * <p>Vectors never cross a method boundary here: a vector passed to (or returned from) a
 * method that C2 does not inline is boxed, a heap allocation per call, and whether C2 inlines a
 * method depends on the JIT's history (a callee already compiled on its own into more than
 * InlineSmallCode bytes is not inlined, nor is one past the caller's inlining budget). So every
 * kernel stores its accumulators with {@code intoArray(scratch(), ...)} and sums the doubles.
 */
final class VectorDoubleLanes {

  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Room for four accumulator vectors per thread. */
  private static final ThreadLocal<double[]> SCRATCH = ThreadLocal.withInitial(() -> new double[4 * L]);

  private VectorDoubleLanes() {}

  /** This thread's scratch: 4 L doubles, for {@link #sum}. */
  static double[] scratch() {
    return SCRATCH.get();
  }

  /**
   * Sum of the L doubles a[off, off + L) in the fixed tree above (the same bits in every
   * execution mode), added in registers for the usual widths.
   */
  static double sum(double[] a, int off) {
    switch (L) {
      case 2:
        return a[off] + a[off + 1];
      case 4:
        return (a[off] + a[off + 2]) + (a[off + 1] + a[off + 3]);
      case 8:
        return sum8(a[off], a[off + 1], a[off + 2], a[off + 3],
            a[off + 4], a[off + 5], a[off + 6], a[off + 7]);
      case 16:
        return sum8(a[off] + a[off + 8], a[off + 1] + a[off + 9], a[off + 2] + a[off + 10],
            a[off + 3] + a[off + 11], a[off + 4] + a[off + 12], a[off + 5] + a[off + 13],
            a[off + 6] + a[off + 14], a[off + 7] + a[off + 15]);
      default: // wider than any x86 register: in index order
        double s = 0d;
        for (int i = 0; i < L; i++) {
          s += a[off + i];
        }
        return s;
    }
  }

  /** The tree over eight lanes: ((v0 + v4) + (v2 + v6)) + ((v1 + v5) + (v3 + v7)). */
  private static double sum8(double v0, double v1, double v2, double v3, double v4, double v5,
      double v6, double v7) {
    return ((v0 + v4) + (v2 + v6)) + ((v1 + v5) + (v3 + v7));
  }
}
