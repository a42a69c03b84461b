package org.tca.numerics.kernels.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Deterministic horizontal sums, from a per-thread scratch array into which the caller stored
 * its accumulator vector(s). {@code reduceLanes(ADD)} leaves the order of the additions
 * unspecified, and in practice it differs between interpreted and C2-compiled code, so the same
 * call could return different bits before and after the JIT compiled it: a run would not be
 * reproducible from its seed. This sum uses a fixed tree instead (exact IEEE additions in every
 * execution mode): a_i += a_(i+w) for w = L/2, L/4, ..., 1, result a_0, i.e. lane 0 of
 * v <- v + rotate(v, L/2), v <- v + rotate(v, L/4), ...
 *
 * <p>Vectors never cross a method boundary here: a vector passed to (or returned from) a
 * method that C2 does not inline is boxed, a heap allocation per call, and whether C2 inlines a
 * method depends on the JIT's history (a callee already compiled on its own into more than
 * InlineSmallCode bytes is not inlined, nor is one past the caller's inlining budget). So every
 * kernel stores its accumulators with {@code intoArray(scratch(), ...)} and sums the floats.
 */
final class VectorFloatLanes {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Room for four accumulator vectors per thread. */
  private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[4 * L]);

  private VectorFloatLanes() {}

  /** This thread's scratch: 4 L floats, for {@link #sum}. */
  static float[] scratch() {
    return SCRATCH.get();
  }

  /**
   * Sum of the L floats a[off, off + L) in the fixed tree above (overwrites them; the same bits
   * in every execution mode).
   */
  static float sum(float[] a, int off) {
    if (L > 16) {
      float s = 0f;
      for (int i = 0; i < L; i++) {
        s += a[off + i];
      }
      return s;
    }
    for (int w = L / 2; w >= 1; w >>= 1) {
      for (int i = 0; i < w; i++) {
        a[off + i] += a[off + i + w];
      }
    }
    return a[off];
  }
}
