package org.tca.rules.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.learning.Fixtures.Case;
import org.tca.rules.model.Block;
import org.tca.rules.model.Cell;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.model.RecurrentStructure;

/**
 * SnAp-n against its oracles: SnAp-1 is its plain-loop definition (an eligibility trace decaying
 * with the exact diagonal of the step Jacobian), SnAp-n equals RTRL when its pattern holds every
 * neuron a weight can reach, and is not RTRL when it does not. Online == offline is in
 * {@link StochasticRtrlTest} with the other approximations.
 */
class SnapTest {

  static List<Case> cases() {
    return Fixtures.allCases();
  }

  static double[] snap(int order, DoubleParameters p, DoubleBatch batch) {
    return ExactRulesAgreementTest.gradient(new DoubleSnap(p.config(), order, Kernels.f64()), p,
        batch);
  }

  /**
   * SnAp-1 against {@link LocalReference}'s SNAP1 trace, on every fixture case (both cells, every
   * activation and loss, with and without autapses); and where there are no autapses its trace is
   * e-prop's (W_pp = 0), so it equals symmetric e-prop as well.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void snap1IsTheExactDiagonalTrace(Case k) {
    DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
    DoubleBatch batch = Fixtures.doubleBatch(k, Fixtures.T, Fixtures.B);
    double[] g = snap(1, p, batch);
    ExactRulesAgreementTest.assertClose("snap-1 " + k,
        new LocalReference(k.config(), batch).gradient(p, LocalReference.Kind.SNAP1, null, null,
            0), g);
    if (k.config().noAutapse()) {
      ExactRulesAgreementTest.assertClose("snap-1 vs e-prop " + k,
          ExactRulesAgreementTest.gradient(new DoubleEprop(k.config()), p, batch), g);
    }
  }

  /**
   * SnAp-N (N = 5 neurons: paths of at most N - 1 edges reach every reachable neuron) is RTRL on
   * every fixture case, sparse masks included; SnAp-2 is RTRL when W_rec is dense off the
   * diagonal (every neuron one edge from every other), which holds for the unmasked cases.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void snapNWithThePatternOfEveryReachableNeuronIsRtrl(Case k) {
    DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
    DoubleBatch batch = Fixtures.doubleBatch(k, Fixtures.T, Fixtures.B);
    double[] rtrl = ExactRulesAgreementTest.gradient(new DoubleRtrl(k.config()), p, batch);
    ExactRulesAgreementTest.assertClose("snap-N " + k, rtrl, snap(Fixtures.N, p, batch));
    if (k.config().connectionProbability() >= 1) {
      ExactRulesAgreementTest.assertClose("snap-2 dense " + k, rtrl, snap(2, p, batch));
    }
  }

  /**
   * A directed ring 0 -&gt; 1 -&gt; ... -&gt; 4 -&gt; 0 (W_rec[i+1][i] the only recurrent weights,
   * N = 5): a weight into neuron i reaches i+4 after 4 edges, so with T = 6 steps SnAp-5 (paths of
   * up to 4 edges) is RTRL, SnAp-4 misses the last neuron of each ring walk and differs by far more
   * than rounding (> 1e-3 of the gradient's largest entry), and SnAp-1 (no recurrent spread) more.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Cell.class)
  void onARingSnapNIsRtrlExactlyWhenNReachesAroundIt(Cell cell) {
    int n = 5;
    ModelConfig c = ModelConfig.builder(2, n, 2).cell(cell).activation(Activation.TANH)
        .leak(cell == Cell.VOLTAGE_LEAK ? 0.3 : 0.7).l2(0.01).build();
    boolean[] ring = new boolean[n * n];
    for (int i = 0; i < n; i++) {
      ring[((i + 1) % n) * n + i] = true;
    }
    DoubleParameters p = new DoubleParameters(c, RecurrentStructure.of(n, ring, false, n));
    System.arraycopy(DoubleParameters.initialize(c, 5).data(), 0, p.data(), 0, p.data().length);
    p.project();
    for (int i = 0; i < n; i++) {
      p.set(Block.W_REC, (i + 1) % n, i, 1.2 + 0.1 * i);
    }
    DoubleBatch batch = Fixtures.doubleBatch(
        new Case(c, Fixtures.Mask.EVERY, false, 9), Fixtures.T, Fixtures.B);
    double[] rtrl = ExactRulesAgreementTest.gradient(new DoubleRtrl(c), p, batch);
    ExactRulesAgreementTest.assertClose("snap-5 on a ring", rtrl, snap(5, p, batch));
    double scale = ExactRulesAgreementTest.maxAbs(rtrl);
    double miss4 = maxDiff(rtrl, snap(4, p, batch));
    double miss1 = maxDiff(rtrl, snap(1, p, batch));
    assertTrue(miss4 > 1e-3 * scale, "snap-4 should miss the 4-edge influence: " + miss4);
    assertTrue(miss1 > miss4, "snap-1 should miss more than snap-4: " + miss1 + " vs " + miss4);
  }

  /** R_i of SnAp-2 on the ring is {i, i+1}; of SnAp-1 {i}; of SnAp-5 every neuron. */
  @ParameterizedTest(name = "order {0}")
  @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 5, 9})
  void thePatternOfARingIsTheNeuronsWithinNMinus1Edges(int order) {
    int n = 5;
    boolean[] ring = new boolean[n * n];
    for (int i = 0; i < n; i++) {
      ring[((i + 1) % n) * n + i] = true;
    }
    InfluencePattern pat = InfluencePattern.of(RecurrentStructure.of(n, ring, false, n), order);
    int size = Math.min(order, n);
    assertEquals(n * size, pat.keptRows());
    assertEquals(size, pat.maxRows);
    for (int i = 0; i < n; i++) {
      for (int h = 0; h < size; h++) {
        int kk = (i + h) % n;
        int r = java.util.Arrays.binarySearch(pat.rows, pat.start[i], pat.start[i + 1], kk);
        assertTrue(r >= 0, "neuron " + kk + " should be in R_" + i);
      }
      assertEquals(i, pat.rows[pat.start[i] + pat.self[i]]);
    }
  }

  private static double maxDiff(double[] a, double[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
