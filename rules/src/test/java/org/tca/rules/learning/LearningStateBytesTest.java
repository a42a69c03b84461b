package org.tca.rules.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.model.Cell;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;

/**
 * {@link FloatLearningRule#stateBytesPerSample} against the arrays that hold the state in the
 * rule's own workspace: the stored forward pass (BPTT, per sample), the online ring (truncated
 * BPTT), the influence matrix (RTRL), both factors (UORO, KF-RTRL), the trace and ModProp's
 * per-type trace (the local rules), for every rule, both cells, with and without b_rec; and the
 * f64 twin at twice the bytes.
 */
final class LearningStateBytesTest {

  static final int N_IN = 3;
  static final int N = 7;
  static final int N_OUT = 2;

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String rule : FloatRules.NAMES.split(",\\s*")) {
      for (Cell cell : Cell.values()) {
        for (boolean bias : new boolean[] {true, false}) {
          for (int steps : new int[] {3, 9}) {
            out.add(Arguments.of(rule, cell, bias, steps));
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} bias={2} T={3}")
  @MethodSource("cases")
  void equalsTheStateArraysOfTheWorkspace(String id, Cell cell, boolean bias, int steps) {
    ModelConfig c = ModelConfig.builder(N_IN, N, N_OUT).cell(cell).activation(Activation.TANH)
        .leak(0.5).recurrentBias(bias).build();
    RuleOptions options = RuleOptions.defaults().withWindow(4);
    FloatLearningRule rule = FloatRules.create(id, c, options, Kernels.scalarF32());
    long bytes = rule.stateBytesPerSample(steps);
    int batch = 3;
    FloatWorkspace ws = rule.newWorkspace(batch, steps);
    long held;
    if (id.equals("bptt")) {
      FloatBpttWorkspace b = FloatBpttWorkspace.cast(ws);
      // the trajectory also holds one shared N x N transposed copy of W_rec (not per sample)
      held = (b.trajectory().sizeInBytes() - (long) Float.BYTES * N * N) / batch;
    } else {
      FloatParameters p = FloatParameters.initialize(c, 1);
      rule.beginOnline(p, ws);
      if (rule instanceof FloatSnap) { // SnAp sizes its influence pattern at the first step
        rule.stepOnline(p, org.tca.rules.model.FloatBatch.classification(steps, 1, N_IN, N_OUT,
            false), 0, ws, p.newGradient());
      }
      held = Float.BYTES * switch (ws) {
        case FloatBpttWorkspace b -> (long) b.ringPre.length + b.ringZ.length;
        case FloatRtrlWorkspace r -> (long) r.influence().length;
        case FloatApproximateRtrlWorkspace s -> rule instanceof FloatSnap
            ? (long) s.leftFactor().length // SnAp's right vector is rebuilt every step
            : (long) s.leftFactor().length + s.rightFactor().length;
        case FloatLocalWorkspace l -> (long) (l.pbar != null ? l.pbar.length : l.trace.length)
            + (l.typeTrace == null ? 0 : l.typeTrace.length);
        default -> throw new AssertionError("no state arrays known for " + ws.getClass());
      };
    }
    assertTrue(bytes > 0, id);
    assertEquals(held, bytes, id + ": bytes of learning state per sample");
    assertEquals(2 * bytes, DoubleRules.create(id, c, options, Kernels.scalarF64())
        .stateBytesPerSample(steps), id + ": the f64 twin holds doubles");
  }
}
