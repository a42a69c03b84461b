package org.tca.cli;

import org.tca.numerics.kernels.FloatKernels;
import org.tca.numerics.kernels.Kernels;

/**
 * Quick on-the-spot kernel measurements for {@code tca doctor} (not a benchmark harness: the
 * JMH module holds those). Each probe warms up, then times repeated calls for a fixed budget and
 * reports the best of several short rounds.
 */
final class KernelProbe {

  /** A measured rate (GFLOP/s or GB/s). */
  record Result(double rate) {}

  private KernelProbe() {}

  /** Single-thread C += A*B for n x n matrices: GFLOP/s (2 n^3 flops per call). */
  static Result sgemm(int n, double seconds) {
    FloatKernels k = Kernels.f32();
    float[] a = filled(n * n, 1);
    float[] b = filled(n * n, 2);
    float[] c = new float[n * n];
    Runnable call = () -> k.gemm(false, false, n, n, n, 1e-3f, a, 0, n, b, 0, n, c, 0, n);
    return new Result(bestRate(call, 2.0 * n * n * n, seconds));
  }

  /** Single-thread E = a*E + x*y' on an m x n matrix: GB/s (E read and written: 8 m n bytes). */
  static Result rank1(int m, int n, double seconds) {
    FloatKernels k = Kernels.f32();
    float[] x = filled(m, 3);
    float[] y = filled(n, 4);
    float[] e = new float[m * n];
    Runnable call = () -> k.decayedRank1(m, n, 0.9f, 1f, x, 0, y, 0, e, 0, n);
    return new Result(bestRate(call, 8.0 * m * n, seconds));
  }

  /** Units of work per nanosecond (= G units per second), best of the timed rounds. */
  private static double bestRate(Runnable call, double unitsPerCall, double seconds) {
    long budget = (long) (seconds * 1e9);
    long start = System.nanoTime();
    // warm-up: a third of the budget, so C2 compiles the kernel
    while (System.nanoTime() - start < budget / 3) {
      call.run();
    }
    double best = 0;
    while (System.nanoTime() - start < budget) {
      int reps = 0;
      long t0 = System.nanoTime();
      long t;
      do {
        call.run();
        reps++;
        t = System.nanoTime();
      } while (t - t0 < 20_000_000L);
      best = Math.max(best, reps * unitsPerCall / (t - t0));
    }
    return best;
  }

  private static float[] filled(int len, int seed) {
    float[] v = new float[len];
    for (int i = 0; i < len; i++) {
      v[i] = ((i * 31 + seed * 17) % 97) / 97f - 0.5f;
    }
    return v;
  }
}
