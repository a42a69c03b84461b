package org.tca.numerics.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.kernels.Kernels;

/**
 * Every Vector API kernel allocates 0 bytes per call once C2 has compiled it, whatever C2
 * decides to inline. A vector that crosses a call C2 does not inline (an argument or a return
 * value) is boxed on the heap at every call, and which calls C2 inlines depends on the JIT's
 * history (a callee compiled on its own first, into more than InlineSmallCode bytes, is never
 * inlined afterwards; a caller's node budget runs out), so a kernel can allocate in one run and
 * not in the next. This test removes the luck: it runs in its own JVM (the surefire execution
 * {@code vector-kernels-no-inlining} of numerics/pom.xml) with
 * {@code -XX:CompileCommand=dontinline,org.tca.numerics.kernels.vector.*::*}, so C2 inlines none
 * of the kernels' own methods (the worst history there is; the Vector API's own methods are
 * force-inlined), and with {@code -Xbatch}, so each compilation finishes before the call that
 * triggered it returns. Each kernel runs at shapes with and without whole vectors, partial last
 * vectors and a row remainder, for {@link #WARMUP} calls (past C2's thresholds), then its
 * allocated bytes (HotSpot's per-thread counter) over rounds of {@link #CALLS} calls must reach
 * 0 (the least over {@link #ROUNDS} rounds, so that a deoptimisation and recompilation does not
 * count; a boxed vector shows in every round).
 */
class VectorDoubleKernelAllocationTest {

  private static final com.sun.management.ThreadMXBean MX =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  static final String NO_INLINING =
      "-XX:CompileCommand=dontinline,org.tca.numerics.kernels.vector.*::*";
  private static final int WARMUP = 20_000;
  private static final int ROUNDS = 50;
  private static final int CALLS = 100;

  @FunctionalInterface
  private interface Work {
    void run(int m, int n);
  }

  private static double sink;

  @Test
  void runsWithoutInliningAndCompilesInTheForeground() {
    List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
    assertTrue(args.contains(NO_INLINING), "this test needs the JVM flag " + NO_INLINING
        + " (the surefire execution vector-kernels-no-inlining); flags: " + args);
    assertEquals("false", ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
        .getVMOption("BackgroundCompilation").getValue(), "this test needs -Xbatch");
  }

  @Test
  void everyKernelAllocatesNothingOnceCompiled() {
    DoubleKernels k = Kernels.vectorF64();
    int size = 64 * 64;
    double[] a = values(size, 1);
    double[] b = values(size, 2);
    double[] c = new double[size];
    double[] x = values(64, 3);
    double[] y = values(64, 4);
    double[] g = values(64, 5);
    int[] labels = new int[64];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % 3;
    }
    Map<String, Work> kernels = new LinkedHashMap<>();
    kernels.put("gemm NN", (m, n) -> k.gemm(false, false, m, n, 9, 0.5d, a, 0, 9, b, 0, n, c, 0, n));
    kernels.put("gemm TN", (m, n) -> k.gemm(true, false, m, n, 9, 0.5d, a, 0, m, b, 0, n, c, 0, n));
    kernels.put("gemm NT", (m, n) -> k.gemm(false, true, m, n, 9, 0.5d, a, 0, 9, b, 0, 9, c, 0, n));
    kernels.put("gemv", (m, n) -> k.gemv(m, n, 0.5d, a, 0, n, x, 0, y, 0));
    kernels.put("gemvT", (m, n) -> k.gemvT(m, n, 0.5d, a, 0, n, x, 0, y, 0));
    kernels.put("decayedRank1", (m, n) -> k.decayedRank1(m, n, 0.9d, 0.5d, x, 0, y, 0, c, 0, n));
    kernels.put("rank1From", (m, n) -> k.rank1From(m, n, 0.9d, a, 0, n, 0.5d, x, 0, y, 0, c, 0, n));
    kernels.put("rank1From zero",
        (m, n) -> k.rank1From(m, n, 0.9d, null, 0, n, 0.5d, x, 0, y, 0, c, 0, n));
    kernels.put("subtractRank1", (m, n) -> k.subtractRank1(m, n, 1e-3d, x, 0, y, 0, c, 0, n));
    kernels.put("subtractDecayedRank1",
        (m, n) -> k.subtractDecayedRank1(m, n, 1e-3d, 1e-2d, x, 0, y, 0, c, 0, n));
    kernels.put("axpy", (m, n) -> k.axpy(n, 0.5d, x, 0, y, 0));
    kernels.put("axpby", (m, n) -> k.axpby(n, 0.5d, x, 0, 0.5d, y, 0));
    kernels.put("scale", (m, n) -> k.scale(n, 1d, y, 0));
    kernels.put("subtractScaled", (m, n) -> k.subtractScaled(n, 1e-3d, x, 0, y, 0));
    double[] second = new double[64];
    kernels.put("momentum", (m, n) -> k.momentum(n, 1d, 0.9d, 0d, false, x, 0, second, y, 0));
    kernels.put("nesterov", (m, n) -> k.momentum(n, 1d, 0.9d, 0d, true, x, 0, second, y, 0));
    kernels.put("adam", (m, n) -> k.adam(n, 1d, 0.9d, 0.1d, 0.999d, 0.001d, 0d, 1d, 1e-8d, x, 0,
        c, second, y, 0));
    kernels.put("mul", (m, n) -> k.mul(n, x, 0, g, 0, c, 0));
    kernels.put("dot", (m, n) -> sink += k.dot(n, x, 0, y, 0));
    kernels.put("sum", (m, n) -> sink += k.sum(n, x, 0));
    kernels.put("sumSquares", (m, n) -> sink += k.sumSquares(n, x, 0));
    kernels.put("maxAbs", (m, n) -> sink += k.maxAbs(n, x, 0));
    for (Activation f : Activation.values()) {
      kernels.put(f + " f", (m, n) -> k.activation(f, n, x, 0, c, 0));
      kernels.put(f + " f'", (m, n) -> k.activationDerivative(f, n, x, 0, c, 0));
      kernels.put(f + " g f'", (m, n) -> k.mulActivationDerivative(f, n, x, 0, g, 0, c, 0));
    }
    int[] counters = new int[64];
    int[] events = new int[64];
    int[] rowList = {5, 0, 2, 7, 2};
    kernels.put("threshold", (m, n) -> sink += k.threshold(n, n / 2, 0.1d, 1.5d, 0.9d, 0.3d, 2,
        x, 0, y, 0, c, 0, g, 0, c, 64, c, 128, counters, 0, events, 0));
    kernels.put("nonzeroIndices", (m, n) -> sink += k.nonzeroIndices(n, g, 0, events, 0));
    kernels.put("mulNonzero", (m, n) -> sink += k.mulNonzero(n, g, 0, x, 0, y, 0, events, 0));
    kernels.put("gatherRows", (m, n) -> k.gatherRows(n, m == 3 ? 0d : 0.9d, a, 0, n, x, 0,
        rowList, Math.min(m, rowList.length), c, 0));
    kernels.put("gatherRows 104 wide", (m, n) -> k.gatherRows(104, 0.9d, a, 0, 104, x, 0,
        rowList, Math.min(m, rowList.length), c, 0));
    kernels.put("softmaxRows", (m, n) -> k.softmaxRows(m, n, a, 0, n, c, 0, n));
    kernels.put("logSoftmaxRows", (m, n) -> k.logSoftmaxRows(m, n, a, 0, n, c, 0, n));
    kernels.put("softmaxCrossEntropy",
        (m, n) -> sink += k.softmaxCrossEntropy(m, n, a, 0, n, labels, 0, c, 0, n));
    kernels.put("softmaxCrossEntropy loss only",
        (m, n) -> sink += k.softmaxCrossEntropy(m, n, a, 0, n, labels, 0, null, 0, n));
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, Work> e : kernels.entrySet()) {
      long bytes = steadyBytes(e.getValue());
      if (bytes != 0) {
        failures.add(e.getKey() + ": " + bytes + " bytes per " + CALLS + " calls");
      }
    }
    assertEquals(List.of(), failures);
  }

  /**
   * The least bytes allocated by {@link #CALLS} calls after {@link #WARMUP}, each call running
   * three shapes: m x n = 13 x 37 (whole vectors, a partial last vector, a row remainder), 3 x 3
   * (no whole vector) and 8 x 64 (whole vectors only).
   */
  private static long steadyBytes(Work w) {
    for (int i = 0; i < WARMUP; i++) {
      shapes(w);
    }
    long least = Long.MAX_VALUE;
    for (int r = 0; r < ROUNDS && least != 0; r++) {
      long before = MX.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < CALLS; i++) {
        shapes(w);
      }
      least = Math.min(least, MX.getCurrentThreadAllocatedBytes() - before);
    }
    return least;
  }

  private static void shapes(Work w) {
    w.run(13, 37);
    w.run(3, 3);
    w.run(8, 64);
  }

  /** Values in (-2, 2), varied and finite. */
  private static double[] values(int n, int seed) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = (double) (2 * Math.sin(seed * 7919.0 + i * 1.37));
    }
    return v;
  }
}
