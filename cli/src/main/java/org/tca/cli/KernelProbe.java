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
    // Warm up on a small problem first: until C2 compiles them, Vector API kernels run
    // interpreted and are orders of magnitude slower, so one cold n = 256 call can take seconds.
    int w = Math.min(n, 48);
    warmUp(() -> k.gemm(false, false, w, w, w, 1e-3f, a, 0, w, b, 0, w, c, 0, w), seconds * 0.4);
    Runnable call = () -> k.gemm(false, false, n, n, n, 1e-3f, a, 0, n, b, 0, n, c, 0, n);
    return new Result(bestRate(call, 2.0 * n * n * n, seconds * 0.6));
  }

  /** Single-thread E = a*E + x*y' on an m x n matrix: GB/s (E read and written: 8 m n bytes). */
  static Result rank1(int m, int n, double seconds) {
    FloatKernels k = Kernels.f32();
    float[] x = filled(m, 3);
    float[] y = filled(n, 4);
    float[] e = new float[m * n];
    Runnable call = () -> k.decayedRank1(m, n, 0.9f, 1f, x, 0, y, 0, e, 0, n);
    warmUp(call, seconds * 0.4);
    return new Result(bestRate(call, 8.0 * m * n, seconds * 0.6));
  }

  /** Calls {@code call} repeatedly for about {@code seconds}, so that C2 compiles it. */
  private static void warmUp(Runnable call, double seconds) {
    long start = System.nanoTime();
    do {
      call.run();
    } while (System.nanoTime() - start < (long) (seconds * 1e9));
  }

  /**
   * Units of work per nanosecond (= G units per second): the best of timed rounds of about
   * 20 ms each, so that a busy machine's interruptions don't count.
   */
  private static double bestRate(Runnable call, double unitsPerCall, double seconds) {
    long budget = (long) (seconds * 1e9);
    long start = System.nanoTime();
    double best = 0;
    while (System.nanoTime() - start < budget || best == 0) {
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
