package org.tca.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The benchmark thread's CPU time over JMH's measurement iterations, per call: start/stop from
 * the state's iteration setup/teardown, {@code calls++} per invocation, report at trial end.
 */
final class CpuClock {
  long calls;
  private long callsAtStart;
  private long cpuStart;
  private long cpuNanos;
  private long measured;
  private boolean measuring;

  void start(IterationParams ip) {
    measuring = ip.getType() == IterationType.MEASUREMENT;
    callsAtStart = calls;
    cpuStart = THREADS.getCurrentThreadCpuTime();
  }

  void stop() {
    if (measuring) {
      cpuNanos += THREADS.getCurrentThreadCpuTime() - cpuStart;
      measured += calls - callsAtStart;
    }
  }

  void report(String what) {
    System.out.printf(java.util.Locale.ROOT, "%ncpu: %s %.2f us/step (%d steps)%n", what,
        cpuNanos / 1e3 / measured, measured);
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
}
