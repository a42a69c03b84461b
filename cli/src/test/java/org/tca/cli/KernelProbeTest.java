package org.tca.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * {@link KernelProbe} against a simulated JIT on a simulated clock: a call takes 2 ms while
 * "compiling" (the compilation clock advances) for its first 0.8 s and 20 us after. A fixed-time
 * warm-up shorter than that measures the slow phase, the broken-install figure that a busy machine
 * produced; the probe must wait for the compiler instead. No real clock is read.
 */
class KernelProbeTest {

  /** A kernel that speeds up, and a compilation clock that stops, {@code slowNanos} in. */
  private static final class SimulatedJit {
    long now;
    final long slowNanos;

    SimulatedJit(double slowSeconds) {
      slowNanos = (long) (slowSeconds * 1e9);
    }

    boolean compiling() {
      return now < slowNanos;
    }

    void call() {
      now += compiling() ? 2_000_000L : 20_000L;
    }

    long nanos() {
      return now;
    }

    LongSupplier jitMillis() {
      return () -> compiling() ? now / 1_000_000L : slowNanos / 1_000_000L;
    }
  }

  @Test
  void waitsForTheCompilerThenReportsMedianAndSpread() {
    SimulatedJit jit = new SimulatedJit(0.8);
    KernelProbe.Result r = KernelProbe.measure(jit::call, jit::call, 1, 0.2, jit.jitMillis(),
        jit::nanos);
    assertTrue(r.steady());
    // fast calls take 20 us: 5e-5 calls per ns; slow ones 2 ms: 5e-7
    assertTrue(r.median() > 2.5e-5, "median " + r.median() + " calls/ns: measured the slow phase");
    assertTrue(r.min() <= r.median() && r.median() <= r.max(), r.toString());
    assertTrue(r.rounds() >= KernelProbe.MIN_ROUNDS, r.toString());
  }

  /** The control: without the compiler's signal, the short warm-up measures the slow phase. */
  @Test
  void withoutTheCompilersSignalTheSlowPhaseIsMeasured() {
    SimulatedJit jit = new SimulatedJit(60);
    KernelProbe.Result r = KernelProbe.measure(jit::call, jit::call, 1, 0.2, () -> 0,
        jit::nanos);
    assertTrue(r.steady());
    assertTrue(r.max() < 1e-6, r.toString());
  }

  @Test
  void aCompilerThatNeverFinishesIsReportedAfterTheCap() {
    long[] t = {0};
    long[] clock = {0};
    assertFalse(KernelProbe.warmUp(() -> clock[0] += 1_000_000L, 0, () -> t[0]++, 0.3,
        () -> clock[0]));
  }
}
