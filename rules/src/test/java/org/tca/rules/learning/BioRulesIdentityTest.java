package org.tca.rules.learning;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.learning.Fixtures.Case;
import org.tca.rules.learning.LocalReference.Kind;
import org.tca.rules.model.Block;
import org.tca.rules.model.BlockView;
import org.tca.rules.model.Cell;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;

/**
 * The defining identities of the bio-plausible rules (issue 4), in f64 on tiny networks over both
 * cells, every activation, loss and mask, leaky and not, with the structural options of
 * {@link Fixtures}:
 *
 * <ol>
 *   <li>e-prop symmetric == the finite-difference gradient of the blocked objective (z_{t-1} in
 *       the recurrent input a constant), computed by {@link LocalReference};</li>
 *   <li>e-prop with BPTT's total learning signal dJ/dz_t == BPTT;</li>
 *   <li>rate-leak RFLO with B = W_out' == e-prop symmetric (offline and online);</li>
 *   <li>a = 0 (voltage) / a = 1 (rate): e-prop == tBPTT(1), MDGL cell-specific == tBPTT(2).</li>
 * </ol>
 *
 * Plus: every rule (both feedbacks, both MDGL variants, ModProp) equals the plain-loop oracle
 * with explicit N x (N_in+N+1) traces. Rounding tolerance as in {@link ExactRulesAgreementTest}
 * (1e-12 max|g|: the codes sum the same O(T N) products in different orders, ~1e-14 relative).
 */
class BioRulesIdentityTest {

  /**
   * {@link Fixtures#allCases()} with b_rec on for case indices i = 0, 1 (mod 4): there the leak
   * alternates with i and b_rec with i mod 2, so leaky cells would otherwise never have b_rec.
   */
  static List<Case> cases() {
    return Fixtures.allCases().stream().map(c -> new Case(c.config().toBuilder()
        .recurrentBias((c.seed() - 1000) % 4 < 2).build(), c.mask(), c.labelsPerStep(),
        c.seed())).toList();
  }

  static List<Case> someCases() {
    return cases().stream().filter(c -> c.seed() % 3 == 1).toList();
  }

  static List<Case> plainCases() {
    return cases().stream()
        .filter(c -> c.config().leak() == (c.config().cell() == Cell.VOLTAGE_LEAK ? 0.0 : 1.0))
        .toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("someCases")
  void epropIsTheBlockedGradient(Case k) {
    DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
    DoubleBatch batch = Fixtures.doubleBatch(k, Fixtures.T, Fixtures.B);
    double[] eprop = ExactRulesAgreementTest.gradient(new DoubleEprop(k.config()), p, batch);
    LocalReference ref = new LocalReference(k.config(), batch);
    double[] theta0 = p.data().clone();
    FiniteDifferences.check("e-prop " + k, p, eprop,
        theta -> ref.blockedObjective(theta, theta0, p), Fixtures.T);
    double[] bptt = ExactRulesAgreementTest.gradient(new DoubleBptt(k.config()), p, batch);
    double diff = 0;
    BlockView wrec = p.view(Block.W_REC);
    for (int i = wrec.offset(); i < wrec.end(); i++) {
      diff = Math.max(diff, Math.abs(bptt[i] - eprop[i]));
    }
    assertTrue(diff > 1e-6 * ExactRulesAgreementTest.maxAbs(bptt),
        "e-prop's W_rec update should differ from BPTT's, max diff " + diff);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void epropWithTheTotalLearningSignalIsBptt(Case k) {
    DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
    DoubleBatch batch = Fixtures.doubleBatch(k, Fixtures.T, Fixtures.B);
    DoubleBptt bpttRule = new DoubleBptt(k.config());
    DoubleBpttWorkspace bws = bpttRule.newWorkspace(Fixtures.B, Fixtures.T);
    double[] bptt = p.newGradient();
    bpttRule.gradient(p, batch, bws, bptt);
    double[] total = totalSignal(p, batch, bws);
    DoubleEprop eprop = new DoubleEprop(k.config());
    double[] g = p.newGradient();
    eprop.gradientWithLearningSignal(p, batch, eprop.newWorkspace(Fixtures.B, Fixtures.T), total,
        g);
    ExactRulesAgreementTest.assertClose("e-prop with dJ/dz " + k, bptt, g);
  }

  /** dJ/dz_t = dy_t W_out + du_{t+1} W_rec by plain loops from BPTT's stored dy and du. */
  private static double[] totalSignal(DoubleParameters p, DoubleBatch batch,
      DoubleBpttWorkspace ws) {
    int n = p.config().hidden();
    int nOut = p.config().outputs();
    int bs = batch.size();
    int last = batch.lastLossStep();
    double[] gz = new double[batch.steps() * bs * n];
    for (int t = 0; t <= last; t++) {
      for (int b = 0; b < bs; b++) {
        for (int i = 0; i < n; i++) {
          double s = 0;
          if (batch.lossMask()[t] != 0) {
            for (int o = 0; o < nOut; o++) {
              s += ws.dy()[(t * bs + b) * nOut + o] * p.get(Block.W_OUT, o, i);
            }
          }
          if (t < last) {
            for (int j = 0; j < n; j++) {
              s += ws.du()[((t + 1) * bs + b) * n + j] * p.get(Block.W_REC, j, i);
            }
          }
          gz[(t * bs + b) * n + i] = s;
        }
      }
    }
    return gz;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rateLeakRfloWithSymmetricFeedbackIsEprop(Case k) {
    if (k.config().cell() != Cell.RATE_LEAK) {
      return;
    }
    DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
    DoubleBatch batch = Fixtures.doubleBatch(k, Fixtures.T, Fixtures.B);
    double[] eprop = ExactRulesAgreementTest.gradient(new DoubleEprop(k.config()), p, batch);
    DoubleRflo rflo = new DoubleRflo(k.config(), Feedback.SYMMETRIC, Kernels.f64());
    ExactRulesAgreementTest.assertClose("RFLO(B = W_out') " + k, eprop,
        ExactRulesAgreementTest.gradient(rflo, p, batch));
    DoubleBatch one = Fixtures.doubleBatch(k, Fixtures.T, 1);
    ExactRulesAgreementTest.assertClose("online RFLO(B = W_out') " + k,
        ExactRulesAgreementTest.gradient(new DoubleEprop(k.config()), p, one),
        BioRulesOnlineTest.online(rflo, p, one));
  }

  /**
   * rflo and eprop-random draw the same Gaussians from the same feedback seed with sd 1/sqrt(N_out)
   * and 1/sqrt(N), so (without L2) RFLO's recurrent-block update is sqrt(N/N_out) times
   * e-prop random's and the readout blocks agree (docs/science.md, section "rflo").
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("someCases")
  void rfloIsEpropRandomWithFeedbackScaledBySqrtNOverNout(Case k) {
    var c = k.config().toBuilder().l2(0).build();
    DoubleParameters p = DoubleParameters.initialize(c, k.seed());
    DoubleBatch batch = Fixtures.doubleBatch(new Case(c, k.mask(), k.labelsPerStep(), k.seed()),
        Fixtures.T, Fixtures.B);
    double[] rflo = ExactRulesAgreementTest.gradient(
        DoubleRules.create("rflo", c, RuleOptions.defaults(), Kernels.f64()), p, batch);
    double[] random = ExactRulesAgreementTest.gradient(
        DoubleRules.create("eprop-random", c, RuleOptions.defaults(), Kernels.f64()), p, batch);
    double scale = Math.sqrt((double) c.hidden() / c.outputs());
    int recurrent = p.layout().recurrentSize();
    for (int i = 0; i < random.length; i++) {
      random[i] *= i < recurrent ? scale : 1;
    }
    assertTrue(ExactRulesAgreementTest.maxAbs(random) > 0, "e-prop random's update is 0 " + k);
    ExactRulesAgreementTest.assertClose("RFLO vs sqrt(N/N_out) e-prop random " + k, random, rflo);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plainCases")
  void withoutLeakEpropIsTbptt1AndMdglIsTbptt2(Case k) {
    DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
    DoubleBatch batch = Fixtures.doubleBatch(k, Fixtures.T, Fixtures.B);
    ExactRulesAgreementTest.assertClose("e-prop vs tBPTT(1) " + k,
        ExactRulesAgreementTest.gradient(new DoubleTruncatedBptt(k.config(), 1), p, batch),
        ExactRulesAgreementTest.gradient(new DoubleEprop(k.config()), p, batch));
    ExactRulesAgreementTest.assertClose("MDGL vs tBPTT(2) " + k,
        ExactRulesAgreementTest.gradient(new DoubleTruncatedBptt(k.config(), 2), p, batch),
        ExactRulesAgreementTest.gradient(new DoubleMdgl(k.config(), false, Kernels.f64()), p,
            batch));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyRuleMatchesThePlainLoopOracle(Case k) {
    DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
    DoubleBatch batch = Fixtures.doubleBatch(k, Fixtures.T, Fixtures.B);
    LocalReference ref = new LocalReference(k.config(), batch);
    var c = k.config();
    var f64 = Kernels.f64();
    DoubleEprop random = DoubleEprop.random(c, 7, f64);
    DoubleRflo rflo = new DoubleRflo(c, DoubleRflo.murray(c, 8), f64);
    check("eprop", new DoubleEprop(c), p, batch, ref.eprop(p));
    check("eprop-random", random, p, batch,
        ref.gradient(p, Kind.EPROP, rows(random.feedbackMatrix()), null, 0));
    check("rflo", rflo, p, batch, ref.gradient(p, Kind.EPROP, rows(rflo.feedbackMatrix()), null,
        0));
    check("mdgl", new DoubleMdgl(c, false, f64), p, batch,
        ref.gradient(p, Kind.MDGL, null, LocalReference.recurrent(p), 0));
    check("mdgl-celltype", new DoubleMdgl(c, true, f64), p, batch,
        ref.gradient(p, Kind.MDGL, null, LocalReference.cellTypeMeans(p), 0));
    check("modprop", new DoubleModProp(c, 0.25, f64), p, batch,
        ref.gradient(p, Kind.MODPROP, null, LocalReference.cellTypeMeans(p), 0.25));
    check("modprop mu=0.7 random feedback", new DoubleModProp(c, 0.7,
        Feedback.random(3, 0.5), f64), p, batch, ref.gradient(p, Kind.MODPROP,
        rows(new DoubleModProp(c, 0.7, Feedback.random(3, 0.5), f64).feedbackMatrix()),
        LocalReference.cellTypeMeans(p), 0.7));
  }

  private static void check(String what, DoubleLearningRule rule, DoubleParameters p,
      DoubleBatch batch, double[] expected) {
    ExactRulesAgreementTest.assertClose(what, expected,
        ExactRulesAgreementTest.gradient(rule, p, batch));
  }

  static double[][] rows(org.tca.numerics.storage.DoubleMatrix m) {
    double[][] r = new double[m.rows()][m.cols()];
    for (int i = 0; i < m.rows(); i++) {
      for (int j = 0; j < m.cols(); j++) {
        r[i][j] = m.get(i, j);
      }
    }
    return r;
  }
}
