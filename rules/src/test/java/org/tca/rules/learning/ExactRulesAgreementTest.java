package org.tca.rules.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tca.rules.learning.Fixtures.Case;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;

/**
 * The exact rules agree (f64): RTRL == BPTT and tBPTT(T) == BPTT to rounding; tBPTT(k) for k &lt; T
 * equals the finite-difference gradient of the truncated objective (state entering step s-k+1
 * held at its value) and differs from BPTT.
 *
 * <p>Rounding tolerance: the rules sum the same products in different orders, so by the
 * forward-error bound they differ by at most ~2 gamma_n sum|terms| with n ~ T (N + N_in + 2)
 * ~ 60, i.e. ~1e-14 of the terms' magnitude; we compare with 1e-12 ||g||_inf, leaving a factor
 * ~100 for cancellation between terms.
 */
class ExactRulesAgreementTest {

  static List<Case> cases() {
    return Fixtures.allCases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rtrlAndFullWindowTruncationEqualBptt(Case k) {
    DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
    DoubleBatch batch = Fixtures.doubleBatch(k, Fixtures.T, Fixtures.B);
    double[] bptt = gradient(new DoubleBptt(k.config()), p, batch);
    double[] rtrl = gradient(new DoubleRtrl(k.config()), p, batch);
    double[] full = gradient(new DoubleTruncatedBptt(k.config(), Fixtures.T), p, batch);
    double[] longer = gradient(new DoubleTruncatedBptt(k.config(), 100), p, batch);
    assertClose("RTRL", bptt, rtrl);
    assertClose("tBPTT(T)", bptt, full);
    assertClose("tBPTT(100)", bptt, longer);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shortWindowMatchesTruncatedObjectiveAndDiffersFromBptt(Case k) {
    int window = 2;
    DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
    DoubleBatch batch = Fixtures.doubleBatch(k, Fixtures.T, Fixtures.B);
    double[] trunc = gradient(new DoubleTruncatedBptt(k.config(), window), p, batch);
    ReferenceRnn ref = new ReferenceRnn(k.config(), batch);
    double[] theta0 = p.data().clone();
    FiniteDifferences.check("tBPTT(2) " + k, p, trunc,
        theta -> ref.truncatedObjective(theta, theta0, window), Fixtures.T);
    double[] bptt = gradient(new DoubleBptt(k.config()), p, batch);
    double diff = 0;
    for (int i = 0; i < bptt.length; i++) {
      diff = Math.max(diff, Math.abs(bptt[i] - trunc[i]));
    }
    assertTrue(diff > 1e-6 * maxAbs(bptt), "tBPTT(2) should differ from BPTT, max diff " + diff);
  }

  /**
   * The other code paths of the forward pass and assembly: B &gt;= TRANSPOSE_MIN_BATCH (GEMM with
   * a transposed copy of W_rec) and N_in &gt;= N (dW_in without the transposed product), each
   * against finite differences and RTRL.
   */
  @ParameterizedTest(name = "N_in={0} N={1} B={2}")
  @org.junit.jupiter.params.provider.CsvSource({"3, 5, 17", "7, 4, 3", "7, 4, 17", "4, 4, 16"})
  void largeBatchAndWideInputPaths(int nIn, int n, int b) {
    for (Case base : List.of(Fixtures.allCases().get(9), Fixtures.allCases().get(50))) {
      var config = org.tca.rules.model.ModelConfig.builder(nIn, n, 2).cell(base.config().cell())
          .activation(base.config().activation()).leak(base.config().leak())
          .loss(base.config().loss()).l2(0.05).dale(base.config().dale()).build();
      Case k = new Case(config, Fixtures.Mask.EVERY, false, base.seed());
      DoubleParameters p = DoubleParameters.initialize(config, k.seed());
      DoubleBatch batch = Fixtures.doubleBatch(k, Fixtures.T, b);
      double[] bptt = gradient(new DoubleBptt(config), p, batch);
      ReferenceRnn ref = new ReferenceRnn(config, batch);
      FiniteDifferences.check("BPTT " + k, p, bptt, ref::objective, Fixtures.T);
      assertClose("RTRL " + k, bptt, gradient(new DoubleRtrl(config), p, batch));
    }
  }

  static double[] gradient(DoubleLearningRule rule, DoubleParameters p, DoubleBatch batch) {
    double[] g = p.newGradient();
    double j = rule.gradient(p, batch, rule.newWorkspace(batch.size(), batch.steps()), g);
    assertTrue(Double.isFinite(j));
    return g;
  }

  static void assertClose(String what, double[] expected, double[] actual) {
    double tol = 1e-12 * maxAbs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tol, what + " entry " + i);
    }
  }

  static double maxAbs(double[] x) {
    double m = 0;
    for (double v : x) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
