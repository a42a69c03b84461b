package org.tca.rules.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.Kernels;
import org.tca.numerics.storage.DoubleMatrix;
import org.tca.rules.learning.Fixtures.Case;
import org.tca.rules.model.Block;
import org.tca.rules.model.Cell;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.ModelConfig;

/**
 * Issue 4 identities 5-7 and the cell-type sanity checks: online (B = 1, weights frozen) sums to
 * offline for every rule; random feedback is fixed and reproducible from its seed; online memory
 * does not grow with T; with block-constant W_rec the cell-type rules equal their cell-specific
 * counterparts (MDGL) and, with a linear f and mu = 1, BPTT (ModProp). Tolerances as in
 * {@link ExactRulesAgreementTest}.
 */
class BioRulesOnlineTest {

  /** Every third case: both cells, leaky or not, with and without b_rec. */
  static List<Case> cases() {
    return BioRulesIdentityTest.cases().stream().filter(c -> c.seed() % 3 == 0).toList();
  }

  static List<DoubleLocalRule> rules(ModelConfig c) {
    var f64 = Kernels.f64();
    List<DoubleLocalRule> r = new java.util.ArrayList<>(List.of(new DoubleEprop(c),
        DoubleEprop.random(c, 5, f64), new DoubleRflo(c, DoubleRflo.murray(c, 6), f64),
        new DoubleMdgl(c, false, f64), new DoubleMdgl(c, true, f64),
        new DoubleModProp(c, 0.25, f64), new DoubleModProp(c, 0.6, Feedback.random(2, 0.3), f64)));
    if (c.cell() == Cell.VOLTAGE_LEAK) { // the sender placement has no rate-leak counterpart
      r.add(new DoubleModProp(c, 0.25, MuPlacement.SENDER, Feedback.SYMMETRIC, f64));
      r.add(new DoubleModProp(c, 0.6, MuPlacement.SENDER, Feedback.random(2, 0.3), f64));
    }
    return r;
  }

  /** The sum of the per-step online updates over one B = 1 sequence. */
  static double[] online(DoubleLearningRule rule, DoubleParameters p, DoubleBatch batch) {
    DoubleWorkspace ws = rule.newWorkspace(1, batch.steps());
    double[] sum = p.newGradient();
    double[] step = p.newGradient();
    for (int repeat = 0; repeat < 2; repeat++) { // the second pass reuses the workspace
      java.util.Arrays.fill(sum, 0);
      rule.beginOnline(p, ws);
      for (int t = 0; t < batch.steps(); t++) {
        java.util.Arrays.fill(step, Double.NaN); // overwritten, never read
        rule.stepOnline(p, batch, t, ws, step);
        for (int i = 0; i < sum.length; i++) {
          sum[i] += step[i];
        }
      }
    }
    return sum;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void onlineAccumulatesTheOfflineUpdate(Case k) {
    DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
    DoubleBatch batch = Fixtures.doubleBatch(k, Fixtures.T, 1);
    double j = new DoubleBptt(k.config()).gradient(p, batch,
        new DoubleBptt(k.config()).newWorkspace(1, Fixtures.T), p.newGradient());
    double l2 = new org.tca.rules.model.DoubleNetwork(k.config()).l2Penalty(p);
    for (DoubleLearningRule rule : rules(k.config())) {
      double[] offline = ExactRulesAgreementTest.gradient(rule, p, batch);
      ExactRulesAgreementTest.assertClose("online " + rule.id() + " " + rule.settings() + " " + k,
          offline, online(rule, p, batch));
      DoubleWorkspace ws = rule.newWorkspace(1, Fixtures.T);
      rule.beginOnline(p, ws);
      double loss = 0;
      for (int t = 0; t < Fixtures.T; t++) {
        loss += rule.stepOnline(p, batch, t, ws, p.newGradient());
      }
      assertEquals(j - l2, loss, 1e-12 * Math.abs(j), rule.id() + " online loss");
    }
  }

  @Test
  void onlineMemoryDoesNotGrowWithT() {
    for (Cell cell : Cell.values()) {
      ModelConfig c = ModelConfig.builder(3, 6, 2).cell(cell)
          .leak(cell == Cell.VOLTAGE_LEAK ? 0.5 : 0.2).build();
      DoubleParameters p = DoubleParameters.initialize(c, 3);
      for (DoubleLearningRule rule : rules(c)) {
        long[] size = new long[2];
        int[] steps = {10, 1000};
        for (int i = 0; i < 2; i++) {
          Case k = new Case(c, Fixtures.Mask.EVERY, false, 11);
          DoubleBatch batch = Fixtures.doubleBatch(k, steps[i], 1);
          DoubleWorkspace ws = rule.newWorkspace(1, steps[i]);
          double[] g = p.newGradient();
          rule.beginOnline(p, ws);
          for (int t = 0; t < steps[i]; t++) {
            rule.stepOnline(p, batch, t, ws, g);
          }
          size[i] = ws.sizeInBytes();
        }
        assertEquals(size[0], size[1], rule.id() + " on " + cell.id()
            + ": online workspace bytes at T = 10 vs T = 1000");
        assertTrue(size[0] > 0 && size[0] < 64L * 1024, rule.id() + " holds " + size[0] + " B");
      }
    }
  }

  @Test
  void randomFeedbackIsFixedAndReproducible() {
    Case k = Fixtures.allCases().get(13);
    ModelConfig c = k.config();
    var f64 = Kernels.f64();
    DoubleEprop a = DoubleEprop.random(c, 42, f64);
    DoubleMatrix b0 = a.feedbackMatrix();
    assertEquals(b0, DoubleEprop.random(c, 42, f64).feedbackMatrix(), "same seed, same B");
    assertEquals(b0, ((DoubleEprop) DoubleRules.create("eprop-random", c,
        RuleOptions.defaults().withFeedbackSeed(42), f64)).feedbackMatrix());
    assertNotEquals(b0, DoubleEprop.random(c, 43, f64).feedbackMatrix(), "another seed");
    assertEquals(b0, a.auxiliaryMatrices().get("B_feedback"));
    assertEquals(c.hidden(), b0.rows());
    assertEquals(c.outputs(), b0.cols());
    assertNull(new DoubleEprop(c).feedbackMatrix());
    assertEquals(42L, a.settings().get("feedback_seed"));
    double[] drawn = Feedback.random(42, 1 / Math.sqrt(c.hidden())).draw(c.hidden(), c.outputs());
    assertArrayEquals(drawn, b0.toDenseArray(), 0.0, "B is the documented draw, row-major");
    // the f32 matrix is the f64 one rounded once
    FloatEprop a32 = FloatEprop.random(c, 42, Kernels.f32());
    for (int i = 0; i < b0.rows(); i++) {
      for (int j = 0; j < b0.cols(); j++) {
        assertEquals((float) b0.get(i, j), a32.feedbackMatrix().get(i, j), 0f);
      }
    }
    // B ~ N(0, 1/N): moments of a large draw within 5 standard errors
    double[] big = DoubleEprop.random(ModelConfig.builder(3, 400, 50).build(), 1, f64)
        .feedbackMatrix().toDenseArray();
    double m2 = 0;
    for (double v : big) {
      m2 += v * v;
    }
    m2 /= big.length;
    assertEquals(1.0 / 400, m2, 5 * Math.sqrt(2.0 / big.length) / 400);
    // training moves the weights, never B; the update keeps using the same B
    DoubleParameters p = DoubleParameters.initialize(c, k.seed());
    DoubleBatch batch = Fixtures.doubleBatch(k, Fixtures.T, Fixtures.B);
    for (DoubleLearningRule rule : List.of(a, new DoubleRflo(c, DoubleRflo.murray(c, 9), f64))) {
      DoubleMatrix before = ((DoubleLocalRule) rule).feedbackMatrix();
      DoubleParameters q = p.copy();
      DoubleWorkspace ws = rule.newWorkspace(Fixtures.B, Fixtures.T);
      double[] g = q.newGradient();
      for (int it = 0; it < 5; it++) {
        rule.gradient(q, batch, ws, g);
        for (int i = 0; i < g.length; i++) {
          q.data()[i] -= 0.5 * g[i];
        }
        q.project();
      }
      assertFalse(java.util.Arrays.equals(p.data(), q.data()));
      assertEquals(before, ((DoubleLocalRule) rule).feedbackMatrix());
      double[] expected = new LocalReference(c, batch).gradient(q, LocalReference.Kind.EPROP,
          BioRulesIdentityTest.rows(before), null, 0);
      ExactRulesAgreementTest.assertClose(rule.id() + " after training", expected,
          ExactRulesAgreementTest.gradient(rule, q, batch));
    }
  }

  /** W_rec constant on the E/I blocks (diagonal included), so its cell-type means equal it. */
  private static DoubleParameters blockConstant(ModelConfig c, long seed) {
    DoubleParameters p = DoubleParameters.initialize(c, seed);
    CellTypes types = CellTypes.of(c);
    double[][] value = {{0.31, -0.52}, {0.27, -0.44}};
    for (int j = 0; j < c.hidden(); j++) {
      for (int i = 0; i < c.hidden(); i++) {
        p.set(Block.W_REC, j, i, value[types.typeOf(j)][types.typeOf(i)]);
      }
    }
    return p;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void cellTypeRulesWithBlockConstantWeights(Case k) {
    ModelConfig c = k.config().toBuilder().noAutapse(false).connectionProbability(1).dale(false)
        .build();
    DoubleParameters p = blockConstant(c, k.seed());
    DoubleBatch batch = Fixtures.doubleBatch(new Case(c, k.mask(), k.labelsPerStep(), k.seed()),
        Fixtures.T, Fixtures.B);
    var f64 = Kernels.f64();
    ExactRulesAgreementTest.assertClose("MDGL cell-type vs cell-specific " + k,
        ExactRulesAgreementTest.gradient(new DoubleMdgl(c, false, f64), p, batch),
        ExactRulesAgreementTest.gradient(new DoubleMdgl(c, true, f64), p, batch));
    ModelConfig linear = c.toBuilder().activation(Activation.IDENTITY).build();
    DoubleParameters lp = blockConstant(linear, k.seed());
    ExactRulesAgreementTest.assertClose("ModProp(mu=1, linear) vs BPTT " + k,
        ExactRulesAgreementTest.gradient(new DoubleBptt(linear), lp, batch),
        ExactRulesAgreementTest.gradient(new DoubleModProp(linear, 1.0, f64), lp, batch));
  }

  @Test
  void rulesAreMadeByNameWithTheirSettings() {
    Case k = Fixtures.allCases().get(4);
    ModelConfig c = k.config().toBuilder().dale(true).build();
    for (String id : List.of("eprop", "eprop-random", "rflo", "mdgl", "mdgl-celltype",
        "modprop", "bptt", "tbptt", "rtrl")) {
      DoubleLearningRule r = DoubleRules.create(id, c, RuleOptions.defaults().withWindow(3));
      assertEquals(id, r.id());
      assertTrue(FloatRules.NAMES.contains(id));
      if (r instanceof DoubleLocalRule local) {
        assertTrue(local.supportsOnline());
        assertEquals(id, local.settings().get("rule"));
        assertEquals(id.equals("eprop-random") || id.equals("rflo"),
            local.auxiliaryMatrices().containsKey("B_feedback"), id);
        assertEquals(id.equals("mdgl-celltype") || id.equals("modprop"),
            local.auxiliaryMatrices().containsKey("cell_types"), id);
      }
    }
    assertEquals(0.25, DoubleRules.create("modprop", c, RuleOptions.defaults()).settings()
        .get("mu"));
    assertEquals(0.5, ((DoubleModProp) DoubleRules.create("modprop", c,
        RuleOptions.defaults().withMu(0.5))).mu());
    DoubleMatrix types = DoubleRules.create("modprop", c, RuleOptions.defaults())
        .auxiliaryMatrices().get("cell_types");
    for (int j = 0; j < c.hidden(); j++) {
      assertEquals(j < c.excitatoryCount() ? 0.0 : 1.0, types.get(j, 0), "type of " + j);
    }
    assertEquals(3, ((DoubleTruncatedBptt) DoubleRules.create("tbptt", c, 3)).window());
    assertThrows(IllegalArgumentException.class, () -> DoubleRules.create("rflo2", c, 1));
    // the 80/20 split by index without Dale
    CellTypes split = CellTypes.of(ModelConfig.builder(2, 10, 2).build());
    assertEquals(2, split.count());
    assertEquals(8, split.size(0));
    assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 0, 0, 1, 1}, split.assignment());
    assertEquals(1, CellTypes.of(ModelConfig.builder(2, 10, 2).excitatoryFraction(1).build())
        .count());
    DoubleEprop e = new DoubleEprop(c);
    DoubleParameters p = DoubleParameters.initialize(c, 1);
    DoubleBatch three = Fixtures.doubleBatch(k, Fixtures.T, 3);
    DoubleWorkspace ws = e.newWorkspace(3, Fixtures.T);
    assertThrows(IllegalArgumentException.class, () -> e.stepOnline(p, three, 0, ws,
        p.newGradient()));
    DoubleBatch one = Fixtures.doubleBatch(k, Fixtures.T, 1);
    e.beginOnline(p, ws);
    assertThrows(IllegalStateException.class, () -> e.stepOnline(p, one, 1, ws,
        p.newGradient()));
    assertThrows(IllegalArgumentException.class, () -> e.gradient(p, three,
        new DoubleBptt(c).newWorkspace(3, Fixtures.T), p.newGradient()));
  }
}
