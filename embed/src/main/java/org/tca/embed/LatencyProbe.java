package org.tca.embed;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Round-trip latencies of a {@link LearnerClient}: times {@code n} calls with
 * {@link System#nanoTime} around each (after {@code warmup} untimed ones), keeps every sample and
 * reports exact order statistics (the q-quantile is the sample of rank ceil(q n)), plus the
 * client thread's CPU time per call ({@link ThreadMXBean#getCurrentThreadCpuTime}). Used by
 * {@code tca serve-bench}; allocates only its sample array.
 */
public final class LatencyProbe {

  /** What is timed. */
  public enum Call {
    /** An empty PING request and its reply: the transport alone. */
    PING,
    /** A STEP with learning: the transport plus the online step. */
    STEP
  }

  /** Order statistics of the samples, in microseconds, and client CPU time per call. */
  public record Summary(Call call, int n, double min, double median, double p90, double p99,
      double p999, double max, double clientCpuMicros) {

    /** One line: "STEP n=...: min ... median ... p90 ... p99 ... p99.9 ... max ... us". */
    public String line() {
      return String.format("%s round trip, n=%d: min %.1f, median %.1f, p90 %.1f, p99 %.1f, "
          + "p99.9 %.1f, max %.1f us; client thread CPU %.1f us per call", call, n, min, median,
          p90, p99, p999, max, clientCpuMicros);
    }
  }

  private LatencyProbe() {}

  /**
   * Times {@code n} calls of {@code call} on {@code client} (which has a learner open for STEP)
   * with input {@code x} and target {@code target} (label 0).
   */
  public static Summary measure(LearnerClient client, Call call, int warmup, int n, float[] x,
      float[] target) {
    if (n < 1 || warmup < 0) {
      throw new IllegalArgumentException("n must be >= 1 and warmup >= 0");
    }
    float[] y = new float[target.length];
    for (int i = 0; i < warmup; i++) {
      once(client, call, x, target, y);
    }
    long[] ns = new long[n];
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpu0 = threads.getCurrentThreadCpuTime();
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      once(client, call, x, target, y);
      ns[i] = System.nanoTime() - t0;
    }
    long cpu = threads.getCurrentThreadCpuTime() - cpu0;
    Arrays.sort(ns);
    return new Summary(call, n, ns[0] / 1e3, quantile(ns, 0.5), quantile(ns, 0.9),
        quantile(ns, 0.99), quantile(ns, 0.999), ns[n - 1] / 1e3, cpu / 1e3 / n);
  }

  private static void once(LearnerClient client, Call call, float[] x, float[] target,
      float[] y) {
    if (call == Call.PING) {
      client.ping();
    } else {
      client.step(x, target, 0, true, y);
    }
  }

  /** The q-quantile of sorted samples (nearest rank), in microseconds. */
  static double quantile(long[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, rank - 1)] / 1e3;
  }
}
