package org.tca.cli;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.function.LongSupplier;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.numerics.kernels.Kernels;

/**
 * On-the-spot kernel measurements for {@code tca doctor} (not a benchmark harness: the JMH module
 * holds those). A probe first warms the kernel up until the JIT has finished with it (no
 * compilation during the last {@value #STEADY_ROUNDS} rounds and no faster round among them, at
 * most {@link #MAX_WARM_UP_SECONDS} s), then times rounds of at least {@value #ROUND_NANOS} ns
 * for its budget, at least {@value #MIN_ROUNDS} of them, and reports the median rate with the
 * slowest and fastest round: on a busy machine the median drops and the spread widens, but a
 * kernel still running interpreted (a broken install) is told apart by the fastest round.
 */
final class KernelProbe {

  /** Timed rounds at least. */
  static final int MIN_ROUNDS = 11;
  /** The length of a round in nanoseconds (at least one call). */
  static final long ROUND_NANOS = 20_000_000L;
  /** Rounds without compilation or improvement that end the warm-up. */
  static final int STEADY_ROUNDS = 5;
  /** The longest warm-up, seconds. */
  static final double MAX_WARM_UP_SECONDS = 20;

  /**
   * Measured rates (GFLOP/s or GB/s) of the timed rounds.
   *
   * @param median the median round
   * @param min the slowest round
   * @param max the fastest round
   * @param rounds the number of timed rounds
   * @param steady whether the warm-up ended with the JIT done (false: it hit its time cap)
   */
  record Result(double median, double min, double max, int rounds, boolean steady) {}

  private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

  /** Milliseconds the JIT has spent compiling so far (0 where the JVM does not say). */
  static final LongSupplier JIT_MILLIS = () -> JIT != null
      && JIT.isCompilationTimeMonitoringSupported() ? JIT.getTotalCompilationTime() : 0;

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
    Runnable small = () -> k.gemm(false, false, w, w, w, 1e-3f, a, 0, w, b, 0, w, c, 0, w);
    Runnable call = () -> k.gemm(false, false, n, n, n, 1e-3f, a, 0, n, b, 0, n, c, 0, n);
    return measure(small, call, 2.0 * n * n * n, seconds, JIT_MILLIS, System::nanoTime);
  }

  /** Single-thread E = a*E + x*y' on an m x n matrix: GB/s (E read and written: 8 m n bytes). */
  static Result rank1(int m, int n, double seconds) {
    FloatKernels k = Kernels.f32();
    float[] x = filled(m, 3);
    float[] y = filled(n, 4);
    float[] e = new float[m * n];
    Runnable call = () -> k.decayedRank1(m, n, 0.9f, 1f, x, 0, y, 0, e, 0, n);
    return measure(call, call, 8.0 * m * n, seconds, JIT_MILLIS, System::nanoTime);
  }

  /**
   * Warms {@code warm} up (at least 40% of {@code seconds}, then until steady, see the class
   * comment), then times rounds of {@code call} for the remaining 60% of {@code seconds} and
   * at least {@value #MIN_ROUNDS} rounds.
   *
   * @param jitMillis the JIT's total compilation time so far, in ms
   * @param nanos the clock ({@code System::nanoTime}; tests pass a simulated one)
   */
  static Result measure(Runnable warm, Runnable call, double unitsPerCall, double seconds,
      LongSupplier jitMillis, LongSupplier nanos) {
    boolean steady = warmUp(warm, seconds * 0.4, jitMillis, MAX_WARM_UP_SECONDS, nanos);
    long budget = (long) (seconds * 0.6 * 1e9);
    double[] rates = new double[MIN_ROUNDS];
    int n = 0;
    long start = nanos.getAsLong();
    while (n < MIN_ROUNDS || nanos.getAsLong() - start < budget) {
      if (n == rates.length) {
        rates = Arrays.copyOf(rates, 2 * n);
      }
      rates[n++] = round(call, nanos) * unitsPerCall;
    }
    double[] r = Arrays.copyOf(rates, n);
    Arrays.sort(r);
    double median = n % 2 == 1 ? r[n / 2] : 0.5 * (r[n / 2 - 1] + r[n / 2]);
    return new Result(median, r[0], r[n - 1], n, steady);
  }

  /**
   * Calls {@code call} in rounds for at least {@code minSeconds} and then until the last
   * {@value #STEADY_ROUNDS} rounds saw no compilation and no round faster than the best before
   * them (by more than 5%); returns false when {@code maxSeconds} passed first.
   */
  static boolean warmUp(Runnable call, double minSeconds, LongSupplier jitMillis,
      double maxSeconds, LongSupplier nanos) {
    long start = nanos.getAsLong();
    long min = (long) (minSeconds * 1e9);
    long max = (long) (Math.max(maxSeconds, minSeconds) * 1e9);
    double[] recent = new double[STEADY_ROUNDS];
    long[] jit = new long[STEADY_ROUNDS];
    double bestBefore = 0;
    for (int i = 0; ; i++) {
      int slot = i % STEADY_ROUNDS;
      if (i >= STEADY_ROUNDS) {
        bestBefore = Math.max(bestBefore, recent[slot]);
      }
      jit[slot] = jitMillis.getAsLong();
      recent[slot] = round(call, nanos);
      long elapsed = nanos.getAsLong() - start;
      if (i >= 2 * STEADY_ROUNDS && elapsed >= min) {
        boolean compiled = jitMillis.getAsLong() != jit[(i + 1) % STEADY_ROUNDS];
        double bestRecent = Arrays.stream(recent).max().orElse(0);
        if (!compiled && bestRecent <= 1.05 * bestBefore) {
          return true;
        }
      }
      if (elapsed >= max) {
        return false;
      }
    }
  }

  /** Calls per nanosecond over one round of at least {@link #ROUND_NANOS}. */
  private static double round(Runnable call, LongSupplier nanos) {
    int reps = 0;
    long t0 = nanos.getAsLong();
    long t;
    do {
      call.run();
      reps++;
      t = nanos.getAsLong();
    } while (t - t0 < ROUND_NANOS);
    return reps / (double) (t - t0);
  }

  private static float[] filled(int len, int seed) {
    float[] v = new float[len];
    for (int i = 0; i < len; i++) {
      v[i] = ((i * 31 + seed * 17) % 97) / 97f - 0.5f;
    }
    return v;
  }
}
