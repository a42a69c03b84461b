package org.tca.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * A benchmark state that measures the benchmark thread's CPU time over JMH's measurement
 * iterations, per call: the benchmark method counts {@code calls++} per invocation, the
 * iteration setup/teardown inherited from here start and stop the clock, and at the end of the
 * trial it prints {@code cpu: LABEL x.xx us/step (n steps)} with the subclass's
 * {@link #clockLabel}.
 */
abstract class CpuClock {
  long calls;
  private long callsAtStart;
  private long cpuStart;
  private long cpuNanos;
  private long measured;
  private boolean measuring;

  /** What the cpu line names (the benchmark and its parameters). */
  abstract String clockLabel(BenchmarkParams bp);

  @Setup(Level.Iteration)
  public void startCpuClock(IterationParams ip) {
    measuring = ip.getType() == IterationType.MEASUREMENT;
    callsAtStart = calls;
    cpuStart = THREADS.getCurrentThreadCpuTime();
  }

  @TearDown(Level.Iteration)
  public void stopCpuClock() {
    if (measuring) {
      cpuNanos += THREADS.getCurrentThreadCpuTime() - cpuStart;
      measured += calls - callsAtStart;
    }
  }

  @TearDown(Level.Trial)
  public void reportCpuClock(BenchmarkParams bp) {
    System.out.printf(Locale.ROOT, "%ncpu: %s %.2f us/step (%d steps)%n", clockLabel(bp),
        cpuNanos / 1e3 / measured, measured);
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
}
