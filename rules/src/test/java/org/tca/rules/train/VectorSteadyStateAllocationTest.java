package org.tca.rules.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.numerics.kernels.Kernels;

/**
 * {@link SteadyStateAllocationTest} with the Vector API kernels: every rule's offline gradient
 * and online step, the HVP and whole training iterations allocate 0 bytes once compiled.
 * Deterministic, not a matter of JIT luck: it runs in its own JVM (the surefire execution
 * {@code vector-kernels-no-inlining} of rules/pom.xml) with {@code -Xbatch} (each compilation
 * finishes before the call that triggered it returns, so the warm-up reaches C2 in a fixed
 * number of calls) and with C2 forbidden to inline any method of the vector kernels' package,
 * the worst inlining history there is: a vector passed across a call C2 does not inline would
 * be boxed, so this fails if any kernel relied on being inlined (the kernels' own
 * VectorFloatKernelAllocationTest runs each kernel the same way).
 */
class VectorSteadyStateAllocationTest extends SteadyStateAllocationTest {

  static final String NO_INLINING =
      "-XX:CompileCommand=dontinline,org.tca.numerics.kernels.vector.*::*";

  @Override
  FloatKernels kernels() {
    return Kernels.vectorF32();
  }

  @Test
  void runsWithoutInliningAndCompilesInTheForeground() {
    List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
    assertTrue(args.contains(NO_INLINING), "this test needs the JVM flag " + NO_INLINING
        + " (the surefire execution vector-kernels-no-inlining); flags: " + args);
    assertEquals("false", ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
        .getVMOption("BackgroundCompilation").getValue(), "this test needs -Xbatch");
  }
}
