package org.tca.numerics.kernels.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Deterministic horizontal sums. {@code reduceLanes(ADD)} leaves the order of the additions
 * unspecified, and in practice it differs between interpreted and C2-compiled code, so the same
 * call could return different bits before and after the JIT compiled it: a run would not be
 * reproducible from its seed. This sum uses a fixed tree instead, built from rearranges (pure data
 * movement) and lanewise adds (exact IEEE operations in every execution mode):
 * v <- v + rotate(v, L/2), v <- v + rotate(v, L/4), ..., result = lane 0.
 */
final class VectorDoubleLanes {

  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final VectorShuffle<Double> ROT8 = rotation(8);
  private static final VectorShuffle<Double> ROT4 = rotation(4);
  private static final VectorShuffle<Double> ROT2 = rotation(2);
  private static final VectorShuffle<Double> ROT1 = rotation(1);

  private VectorDoubleLanes() {}

  private static VectorShuffle<Double> rotation(int k) {
    return VectorShuffle.fromOp(S, i -> (i + k) % L);
  }

  /** sum of the lanes of v in a fixed order (the same bits in every execution mode). */
  static double sum(DoubleVector v) {
    if (L > 16) {
      double s = 0d;
      for (int i = 0; i < L; i++) {
        s += v.lane(i);
      }
      return s;
    }
    if (L == 16) {
      v = v.add(v.rearrange(ROT8));
    }
    if (L >= 8) {
      v = v.add(v.rearrange(ROT4));
    }
    if (L >= 4) {
      v = v.add(v.rearrange(ROT2));
    }
    if (L >= 2) {
      v = v.add(v.rearrange(ROT1));
    }
    return v.lane(0);
  }
}
